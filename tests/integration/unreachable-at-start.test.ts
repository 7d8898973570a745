// Slack or Discord down when the bot starts: it keeps running, says so on /readyz, queues the alert, connects
// when the platform comes back and delivers the alert once. A refused token at start stays fatal.

import { afterEach, describe, expect, it } from "vitest";
import { CyberbriefError } from "../../src/core/errors.js";
import { silentLogger } from "../../src/log/logger.js";
import { type RunningBot, runBot } from "../../src/main.js";
import { statuses } from "../alerts/fixtures.js";
import { FakeDiscord } from "../chat/discord/fake-discord.js";
import { APP_TOKEN, BOT_TOKEN, FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { waitFor } from "../helpers/tmp.js";
import { closedPort, readyz, workspace } from "./workspace.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST = { baseMs: 50, maxMs: 200 };
const SLACK_CHANNEL = `slack:${TEAM}/C0ALERTS`;
const slackEnv = (apiUrl: string, botToken = BOT_TOKEN) => ({
  SLACK_BOT_TOKEN: botToken,
  SLACK_APP_TOKEN: APP_TOKEN,
  SLACK_API_URL: apiUrl,
});

async function started(bot: Promise<RunningBot>): Promise<RunningBot> {
  const running = await bot;
  cleanups.push(() => running.stop());
  return running;
}

const statusOf = (bot: RunningBot, ref: string) => statuses(bot.core.store, ref);

describe("a platform unreachable at start-up", () => {
  it("Slack: keeps running and queueing, 503 on /readyz with the error, then delivers once it is back", async () => {
    const port = await closedPort();
    const ws = await workspace(slackEnv(`http://127.0.0.1:${port}/api/`), [SLACK_CHANNEL]);
    const bot = await started(runBot(ws.config, silentLogger(), { reconnect: FAST }));
    expect((await bot.firstScan).new).toBe(1);
    expect(statusOf(bot, SLACK_CHANNEL)).toEqual(["pending"]);
    const down = await readyz(bot.opsPort);
    expect(down.status).toBe(503);
    expect(down.body.checks).toEqual({ store: true, slack: false });
    expect(down.body.errors?.slack).toMatch(
      new RegExp(`^Could not reach Slack at http://127.0.0.1:${port}/api/: .*ECONNREFUSED`),
    );

    const fake = await FakeSlack.start({ port });
    cleanups.push(() => fake.close());
    await waitFor(() => statusOf(bot, SLACK_CHANNEL)[0] === "sent", 10_000, "the queued alert");
    expect(fake.callsTo("chat.postMessage").map((c) => c.params.channel)).toEqual(["C0ALERTS"]);
    expect(fake.openSockets).toBe(1);
    await waitFor(async () => (await readyz(bot.opsPort)).status === 200, 5000, "ready");
  });

  it("Discord: the same, and /cyber is registered once it is back", async () => {
    const port = await closedPort();
    const apiUrl = `http://127.0.0.1:${port}/api`;
    const guild = { id: "1200000000000000001", channels: ["1200000000000000011"] };
    const ref = `discord:${guild.id}/${guild.channels[0]}`;
    const ws = await workspace(
      {
        DISCORD_TOKEN: "fake-bot-token",
        DISCORD_APPLICATION_ID: "1100000000000000001",
        DISCORD_API_URL: apiUrl,
      },
      [ref],
    );
    const bot = await started(runBot(ws.config, silentLogger(), { reconnect: FAST }));
    await bot.firstScan;
    const down = await readyz(bot.opsPort);
    expect(down.status).toBe(503);
    expect(down.body.errors?.discord).toMatch(new RegExp(`^Could not reach Discord at ${apiUrl}`));
    expect(statusOf(bot, ref)).toEqual(["pending"]);

    const fake = await FakeDiscord.start({ port, guilds: [guild] });
    cleanups.push(() => fake.close());
    await waitFor(() => statusOf(bot, ref)[0] === "sent", 10_000, "the queued alert");
    expect(fake.find("POST", /\/channels\/\d+\/messages$/)).toHaveLength(1);
    expect(fake.find("PUT", /\/commands$/).map((r) => r.status)).toEqual([200]);
    await waitFor(async () => (await readyz(bot.opsPort)).status === 200, 5000, "ready");
  });

  it("Slack back but refusing the token: Slack is paused and says why, the bot keeps running", async () => {
    const port = await closedPort();
    const ws = await workspace(slackEnv(`http://127.0.0.1:${port}/api/`, "xoxb-revoked"), [SLACK_CHANNEL]);
    const bot = await started(runBot(ws.config, silentLogger(), { reconnect: FAST }));
    await bot.firstScan;
    const fake = await FakeSlack.start({ port });
    cleanups.push(() => fake.close());
    await waitFor(() => bot.dispatcher.pauses.reason("slack"), 10_000, "Slack to be paused");
    const ready = await readyz(bot.opsPort);
    expect(ready.status).toBe(503);
    expect(ready.body.errors?.slack).toMatch(
      /^alerts paused: Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/,
    );
    expect(await bot.core.outbox.platformStates()).toMatchObject([{ platform: "slack", state: "paused" }]);
    expect(statusOf(bot, SLACK_CHANNEL)).toEqual(["pending"]);
  });

  it("a token Slack refuses at start-up is still fatal, naming the variable", async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const ws = await workspace(slackEnv(fake.apiUrl, "xoxb-revoked"), [SLACK_CHANNEL]);
    const err = await runBot(ws.config, silentLogger(), { reconnect: FAST }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CyberbriefError);
    expect(err).toMatchObject({ code: "slack/auth" });
    expect((err as Error).message).toContain("Slack refused SLACK_BOT_TOKEN (invalid_auth)");
  });

  it("a token Discord refuses (401) at start-up is still fatal, naming the variable", async () => {
    const fake = await FakeDiscord.start();
    cleanups.push(() => fake.close());
    const ws = await workspace(
      {
        DISCORD_TOKEN: "a-revoked-token",
        DISCORD_APPLICATION_ID: fake.opts.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      },
      [],
    );
    const err = await runBot(ws.config, silentLogger(), { reconnect: FAST }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "discord/token-rejected" });
    expect((err as Error).message).toMatch(/DISCORD_TOKEN/);
  });
});
