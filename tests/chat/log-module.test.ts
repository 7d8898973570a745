// Each adapter's log lines carry `module` once: chooseAdapters binds it, and nothing below binds it again.

import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ChatAdapter } from "../../src/chat/types.js";
import { loadConfig } from "../../src/config/load.js";
import { chooseAdapters } from "../../src/main/adapters.js";
import { afterTest, throwingHandler } from "../helpers/handlers.js";
import { memoryLogger } from "../helpers/memory-log.js";
import { waitFor } from "../helpers/tmp.js";
import { FakeDiscord } from "./discord/fake-discord.js";
import { APP_TOKEN, BOT_TOKEN, FakeSlack } from "./slack/fake-slack.js";
import { slashCommand } from "./slack/fixtures.js";

const occurrences = (line: string, key: string) => line.split(key).length - 1;

/** Starts the one adapter `env` asks for, through chooseAdapters, logging into memory. */
async function started(env: Record<string, string>, input = new PassThrough()) {
  const memory = memoryLogger();
  const config = loadConfig({ env, cwd: "/nonexistent-cwd-for-dotenv" });
  const io = { input, output: new PassThrough() };
  const [adapter, ...more] = (await chooseAdapters(config, memory.log, io)) as [
    ChatAdapter,
    ...ChatAdapter[],
  ];
  expect(more).toEqual([]);
  afterTest(() => adapter.stop());
  await adapter.start(throwingHandler);
  return { adapter, ...memory };
}

describe("the module key on adapter log lines", () => {
  it('Slack: every line, the adapter\'s and Bolt\'s, carries "module":"slack" exactly once', async () => {
    const fake = await FakeSlack.start();
    afterTest(() => fake.close());
    const { raw, lines } = await started({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fake.apiUrl,
    });
    // A command that fails logs through the adapter's logger too.
    fake.sendEnvelope("slash_commands", slashCommand(fake, "apt40"));
    await waitFor(() => lines.some((l) => l.msg === "command failed"), 5000, "the failure line");

    expect(lines.some((l) => l.msg === "connected to Slack (Socket Mode)")).toBe(true);
    expect(raw.length).toBeGreaterThan(2); // Bolt's own debug lines are among them
    for (const line of raw) expect(occurrences(line, '"module":"slack"'), line).toBe(1);
  });

  it('Discord: every line carries "module":"discord" exactly once', async () => {
    const fake = await FakeDiscord.start();
    afterTest(() => fake.close());
    const { raw, lines } = await started({
      DISCORD_TOKEN: fake.opts.token,
      DISCORD_APPLICATION_ID: fake.opts.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_REGISTER_ON_START: "false",
    });
    expect(lines.some((l) => l.msg === "discord: connected")).toBe(true);
    for (const line of raw) expect(occurrences(line, '"module":"discord"'), line).toBe(1);
  });

  it('console: a failed command is logged with "module":"console" exactly once', async () => {
    // Input that says it is a terminal, so the console reads commands from it.
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const { raw, lines } = await started({}, input);
    input.write("/cyber apt40\n");
    await waitFor(() => lines.some((l) => l.msg === "command failed"), 5000, "the failure line");
    expect(raw.length).toBeGreaterThan(0);
    for (const line of raw) expect(occurrences(line, '"module":"console"'), line).toBe(1);
  });
});
