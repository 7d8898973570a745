// Test harness: a fake Discord, a DiscordAdapter on the real client pointed at it, a scripted command layer.

import type { Client } from "discord.js";
import { expect } from "vitest";
import { DiscordAdapter } from "../../../src/chat/discord/adapter.js";
import { createDiscordClient } from "../../../src/chat/discord/client.js";
import type { DiscordAdapterOptions } from "../../../src/chat/discord/gateway.js";
import type { ChatCommand, CommandHandler, Reply, Suggestion } from "../../../src/chat/types.js";
import type { Config } from "../../../src/config/schema.js";
import { reply } from "../../helpers/cards.js";
import { type LogLine, memoryLogger } from "../../helpers/memory-log.js";
import { FakeDiscord, type FakeDiscordOptions } from "./fake-discord.js";

export { APT40, alertOf, reply } from "../../helpers/cards.js";

import { buildInteraction, type InteractionPayload, type InteractionSpec } from "./fixtures.js";

const SUGGESTIONS: Suggestion[] = [
  { label: "APT40 (Kryptonite Panda)", value: "apt40" },
  { label: "APT29 (Cozy Bear)", value: "apt29" },
  { label: "country nz (New Zealand)", value: "country nz" },
  { label: "help", value: "help" },
];

/**
 * A stand-in for the command layer (src/commands/ is being built elsewhere): fixed replies, the same
 * permission check the real one makes for subscribe, and substring suggestions. Records what it was asked.
 */
export function scriptedHandler(
  script: { held?: boolean; answer?: (c: ChatCommand) => Reply | Promise<Reply> } = {},
) {
  const commands: ChatCommand[] = [];
  const partials: string[] = [];
  // A held handler answers only when the test calls release(): slow answers without real waiting.
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handler: CommandHandler = {
    async handle(c) {
      commands.push(c);
      if (script.held) await gate;
      if (script.answer) return script.answer(c);
      if (c.text === "boom") throw new Error("handler exploded");
      if (/^(un)?subscribe\b/.test(c.text)) {
        const p = await c.canManageSubscriptions();
        if (!p.allowed) {
          return reply({
            kind: "refused",
            headline: "Not allowed",
            text: [`You need ${p.needed}.`],
            stories: [],
          });
        }
        return reply({ kind: "notice", headline: "Subscribed to country:NZ", text: [], stories: [] });
      }
      if (c.text === "help" || c.text === "")
        return reply({ kind: "help", headline: "cyberbrief help", stories: [] });
      return reply();
    },
    suggest(partial, limit) {
      partials.push(partial);
      const p = partial.toLowerCase();
      return SUGGESTIONS.filter((s) => s.label.toLowerCase().includes(p) || s.value.includes(p)).slice(
        0,
        limit,
      );
    },
  };
  return { handler, commands, partials, release: () => release() };
}

export interface Bot {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  client: () => Client;
  /** Everything the client emitted on `error`; each test asserts it stayed empty. */
  errors: unknown[];
  logs: LogLine[];
  /** Builds a validated interaction for the fake's guild and sends it. */
  interact: (spec: SpecHere) => InteractionPayload;
  stop: () => Promise<void>;
}

type Fixed = "applicationId" | "guildId" | "channelId";
/** An interaction spec whose ids default to the fake's application, guild and first channel. */
export type SpecHere = InteractionSpec extends infer S
  ? S extends unknown
    ? Omit<S, Fixed> & Partial<Pick<InteractionSpec, Fixed>>
    : never
  : never;

export const discordConfig = (over: Partial<Config["discord"]> = {}): Config["discord"] => ({
  token: "fake-bot-token",
  applicationId: "1100000000000000001",
  registerOnStart: false,
  replyVisibility: "private",
  ...over,
});

export interface BotOptions {
  handler?: CommandHandler;
  config?: Partial<Config["discord"]>;
  fake?: Partial<FakeDiscordOptions>;
  adapter?: Partial<DiscordAdapterOptions>;
}

/** A DiscordAdapter on the real client, pointed at `fake`, with fast test timings; not started. */
export function makeAdapter(fake: FakeDiscord, opts: BotOptions = {}) {
  const { log, lines } = memoryLogger();
  const errors: unknown[] = [];
  const clients: Client[] = [];
  const adapter = new DiscordAdapter({
    config: discordConfig({ apiUrl: fake.apiUrl, ...opts.config }),
    log,
    restTimeoutMs: 500,
    restRetries: 1,
    rateLimitOffsetMs: 0,
    maxRateLimitWaitMs: 1_000,
    waitGuildTimeoutMs: 200,
    readyTimeoutMs: 3_000,
    createClient: (o) => {
      // Nothing but the fake: a client without the fake's base URL would try the real Discord.
      if (!o.apiUrl?.startsWith("http://127.0.0.1:"))
        throw new Error(`test client not on 127.0.0.1: ${o.apiUrl}`);
      const client = createDiscordClient(o);
      client.on("error", (err) => errors.push(err));
      clients.push(client);
      return client;
    },
    ...opts.adapter,
  });
  return { adapter, errors, logs: lines, clients };
}

export async function startBot(opts: BotOptions = {}): Promise<Bot> {
  const fake = await FakeDiscord.start(opts.fake);
  const { adapter, errors, logs, clients } = makeAdapter(fake, opts);
  const bot: Bot = {
    fake,
    adapter,
    errors,
    logs,
    client: () => {
      const client = clients.at(-1);
      if (!client) throw new Error("no client yet");
      return client;
    },
    interact: (spec) => {
      const g = fake.guild;
      const full = {
        applicationId: fake.opts.applicationId,
        guildId: g.id,
        channelId: g.channels[0],
        ...spec,
      };
      const payload = buildInteraction(full as InteractionSpec);
      fake.interact(payload);
      return payload;
    },
    stop: async () => {
      await adapter.stop();
      await fake.close();
    },
  };
  try {
    await adapter.start(opts.handler ?? scriptedHandler().handler);
  } catch (err) {
    await fake.close();
    throw err;
  }
  return bot;
}

/** For afterEach: stops the bot a test started (if any), then checks its client's `error` event stayed empty. */
export async function stopBot(bot: Bot | undefined): Promise<void> {
  const errors = bot?.errors ?? [];
  await bot?.stop();
  expect(errors).toEqual([]);
}
