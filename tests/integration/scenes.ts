// Whole bots for delivery tests: Slack and Discord (the real clients against the fake servers) with a store
// whose channel follows country:NZ, and the console bot on a seeds folder that starts with one article.

import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/log/logger.js";
import { runBot } from "../../src/main.js";
import { openStore } from "../alerts/fixtures.js";
import { startBot } from "../chat/discord/harness.js";
import { FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { scriptedHandler, startAdapter } from "../chat/slack/fixtures.js";
import { consoleIO } from "../helpers/console-io.js";
import { tempDir, waitFor } from "../helpers/tmp.js";

/** The Slack adapter (HTTP mode) against the fake server and a store whose C0ALERTS follows country:NZ. */
export async function slackFollowingNz(cleanups: Array<() => Promise<void>>) {
  const fake = await FakeSlack.start();
  const running = await startAdapter(fake, scriptedHandler().handler, "http");
  const store = openStore();
  cleanups.push(async () => {
    await running.adapter.stop();
    await fake.close();
    await store.close();
    expect(running.errors).toEqual([]);
  });
  await store.subscribe(`slack:${TEAM}/C0ALERTS`, "country:NZ", "U1");
  return { fake, adapter: running.adapter, store };
}

/** Starts the bot and the store; `cleanups` stops both and checks the bot logged no error. */
export async function discordFollowingNz(cleanups: Array<() => Promise<void>>) {
  const bot = await startBot();
  const store = openStore();
  cleanups.push(async () => {
    await bot.stop();
    await store.close();
    expect(bot.errors).toEqual([]);
  });
  const g = bot.fake.guild;
  await store.subscribe(`discord:${g.id}/${g.channels[0]}`, "country:NZ", "U1");
  return { bot, store };
}

/** The console bot on a seeds folder holding a copy of `article` as `name`, once its alert is printed. */
export async function consoleWithArticle(
  cleanups: Array<() => Promise<void>>,
  article: string,
  name: string,
) {
  const dir = tempDir();
  const seeds = join(dir, "seeds");
  mkdirSync(seeds);
  const path = join(seeds, name);
  copyFileSync(article, path);
  const config = loadConfig({
    env: { CYBERBRIEF_WATCH: "false" },
    flags: { db: join(dir, "db.sqlite"), seeds },
  });
  const { input, output, read } = consoleIO();
  const bot = await runBot(config, silentLogger(), { input, output });
  cleanups.push(() => bot.stop());
  await bot.firstScan;
  await waitFor(() => read().includes(">> New story"), 5000, "the alert");
  return { bot, seeds, path, read };
}
