// Registering /cyber (the definition Discord receives) and the start-up errors that say what to fix.

import { afterEach, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../../src/chat/discord/adapter.js";
import { CYBER_COMMAND, registerDiscordCommands } from "../../../src/chat/discord/commands.js";
import { ConfigError, CyberbriefError } from "../../../src/core/errors.js";
import { memoryLogger } from "../../helpers/memory-log.js";
import { FakeDiscord, failures } from "./fake-discord.js";
import { type Bot, discordConfig, makeAdapter, scriptedHandler, startBot, stopBot } from "./harness.js";

let fake: FakeDiscord | undefined;
let bot: Bot | undefined;
afterEach(async () => {
  const [started, alone] = [bot, fake];
  bot = undefined;
  fake = undefined;
  try {
    await stopBot(started);
  } finally {
    await alone?.close();
  }
});

const COMMANDS = /^\/api\/v10\/applications\/\d+(\/guilds\/\d+)?\/commands$/;

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe("the /cyber definition", () => {
  it("is one chat-input command with one autocompleted string option, guild-only", () => {
    expect(CYBER_COMMAND).toEqual({
      type: 1,
      name: "cyber",
      description: expect.any(String),
      options: [
        {
          type: 3,
          name: "query",
          description: expect.stringContaining("apt40"),
          required: false,
          autocomplete: true,
          max_length: 200,
        },
      ],
      contexts: [0],
      integration_types: [0],
    });
    expect(CYBER_COMMAND.description.length).toBeLessThanOrEqual(100);
    expect(CYBER_COMMAND.options?.[0]?.description.length).toBeLessThanOrEqual(100);
  });
});

describe("registerDiscordCommands", () => {
  it("PUTs the definition to one guild, with the bot token", async () => {
    fake = await FakeDiscord.start();
    const { token, applicationId } = fake.opts;
    const result = await registerDiscordCommands({
      token,
      applicationId,
      guildId: fake.guild.id,
      apiUrl: fake.apiUrl,
    });
    const [put] = fake.find("PUT", COMMANDS);
    expect(put?.path).toBe(`/api/v10/applications/${applicationId}/guilds/${fake.guild.id}/commands`);
    expect(put?.headers.authorization).toBe(`Bot ${token}`);
    expect(put?.body).toEqual([CYBER_COMMAND]);
    expect(result).toMatchObject({ scope: "guild", guildId: fake.guild.id, commands: [{ name: "cyber" }] });
  });

  it("registers globally without a guild, and accepts an API URL written with /v10/", async () => {
    fake = await FakeDiscord.start();
    const { token, applicationId } = fake.opts;
    const result = await registerDiscordCommands({ token, applicationId, apiUrl: `${fake.apiUrl}/v10/` });
    expect(fake.find("PUT", COMMANDS).map((r) => r.path)).toEqual([
      `/api/v10/applications/${applicationId}/commands`,
    ]);
    expect(result.scope).toBe("global");
  });

  it("explains a guild the bot is not in", async () => {
    fake = await FakeDiscord.start();
    const { token, applicationId } = fake.opts;
    const err = await rejection(
      registerDiscordCommands({ token, applicationId, guildId: "1299999999999999999", apiUrl: fake.apiUrl }),
    );
    expect(err).toMatchObject({ code: "discord/guild-access" });
    expect(err.message).toMatch(/applications\.commands/);
  });

  it("names the missing settings, without any request", async () => {
    const err = await rejection(registerDiscordCommands({ token: undefined, applicationId: undefined }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/DISCORD_TOKEN/);
    expect(err.message).toMatch(/DISCORD_APPLICATION_ID/);
  });

  it("says the token was rejected on a 401", async () => {
    fake = await FakeDiscord.start();
    const apiUrl = fake.apiUrl;
    const err = await rejection(
      registerDiscordCommands({ token: "wrong", applicationId: fake.opts.applicationId, apiUrl }),
    );
    expect(err).toMatchObject({ code: "discord/token-rejected" });
    expect(err.message).toMatch(/DISCORD_TOKEN/);
  });
});

describe("start-up", () => {
  it("refuses to start without a token, before touching the network", async () => {
    let built = 0;
    const adapter = new DiscordAdapter({
      config: discordConfig({ token: undefined }),
      log: memoryLogger().log,
      createClient: () => {
        built++;
        throw new Error("must not build a client");
      },
    });
    const err = await rejection(adapter.start(scriptedHandler().handler));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/DISCORD_TOKEN is not set/);
    expect(built).toBe(0);
  });

  it("reports a rejected token clearly and leaves nothing connected", async () => {
    fake = await FakeDiscord.start();
    const { adapter, errors } = makeAdapter(fake, { config: { token: "wrong" } });
    const err = await rejection(adapter.start(scriptedHandler().handler));
    expect(err).toBeInstanceOf(CyberbriefError);
    expect(err).toMatchObject({ code: "discord/token-rejected" });
    expect(err.message).toMatch(/DISCORD_TOKEN/);
    expect(fake.find("GET", /\/gateway\/bot$/).map((r) => r.status)).toEqual([401]);
    expect(fake.openSockets()).toBe(0);
    expect(adapter.isConnected()).toBe(false);
    expect(errors).toEqual([]);
  });

  it("reports a token the gateway rejects (close 4004)", async () => {
    const err = await rejection(startBot({ fake: { gatewayToken: "only-the-gateway-knows" } }));
    expect(err).toMatchObject({ code: "discord/token-rejected" });
    expect(err.message).toMatch(/4004/);
  });

  it("registers /cyber in the configured guild at start-up when registerOnStart is set", async () => {
    bot = await startBot({ config: { registerOnStart: true, guildId: "1200000000000000001" } });
    const [put] = bot.fake.find("PUT", COMMANDS);
    expect(put?.path).toMatch(/\/guilds\/1200000000000000001\/commands$/);
    const gateway = bot.fake.find("GET", /\/gateway\/bot$/)[0];
    // Registered before the gateway connection was opened (order in the fake's request log).
    expect(put && gateway && bot.fake.requests.indexOf(put) < bot.fake.requests.indexOf(gateway)).toBe(true);
  });

  it("stops on a token rejected at registration, but only warns about other registration failures", async () => {
    const rejected = await rejection(startBot({ config: { registerOnStart: true, token: "wrong" } }));
    expect(rejected).toMatchObject({ code: "discord/token-rejected" });

    bot = await startBot({ config: { registerOnStart: true } });
    expect(bot.adapter.isConnected()).toBe(true);
    await bot.stop();
    // A second bot whose registration meets a 500 still connects and logs a warning.
    fake = await FakeDiscord.start();
    fake.fail({ method: "PUT", path: COMMANDS, times: 2, respond: failures.server(500) });
    const { adapter, errors, logs } = makeAdapter(fake, { config: { registerOnStart: true } });
    try {
      await adapter.start(scriptedHandler().handler);
      expect(adapter.isConnected()).toBe(true);
      expect(fake.find("PUT", COMMANDS).map((r) => r.status)).toEqual([500, 500]);
      expect(logs.some((l) => l.msg.startsWith("discord: could not register /cyber"))).toBe(true);
    } finally {
      await adapter.stop();
    }
    expect(errors).toEqual([]);
  });
});
