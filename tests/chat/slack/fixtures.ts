// Fixtures for the Slack adapter tests: config, a scripted command handler, signed requests and payloads.

import { createHmac } from "node:crypto";
import { afterEach, beforeEach, expect } from "vitest";
import { SlackAdapter } from "../../../src/chat/slack/adapter.js";
import type { SlackAdapterOptions } from "../../../src/chat/slack/settings.js";
import type { ChatCommand, CommandHandler } from "../../../src/chat/types.js";
import type { Config } from "../../../src/config/schema.js";
import { silentLogger } from "../../../src/log/logger.js";
import { reply } from "../../helpers/cards.js";
import { APP_TOKEN, BOT_TOKEN, FakeSlack, type FakeUser, TEAM } from "./fake-slack.js";

export { reply, story } from "../../helpers/cards.js";

export const SIGNING_SECRET = "fake-signing-secret";
export const CHANNEL = "C0ALERTS";
export const ASKER = "U0ASKER";

/** Client retries that cost no time; the real defaults add random backoff. */
export const FAST_RETRY = { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 };

export function slackConfig(overrides: Partial<Config["slack"]> = {}): Config["slack"] {
  return { port: 0, replyVisibility: "private", permissionPolicy: "admins", allowList: [], ...overrides };
}

/**
 * Stands in for the command layer (src/commands/, being built by another engineer) with fixed replies for
 * known texts: these tests are about the adapter (ack, visibility, rendering, sharing, permissions).
 */
export function scriptedHandler() {
  const commands: ChatCommand[] = [];
  let releaseSlow: () => void = () => {};
  const slowGate = new Promise<void>((resolve) => {
    releaseSlow = resolve;
  });
  const handler: CommandHandler = {
    async handle(command) {
      commands.push(command);
      const text = command.text;
      if (text === "apt40") return reply();
      if (text === "help") return reply({ kind: "help", headline: "cyberbrief help", stories: [] });
      if (text === "broken") throw new Error("scripted failure");
      if (text === "slow") {
        await slowGate;
        return reply({ headline: "slow answer" });
      }
      if (text.startsWith("subscribe")) {
        const decision = await command.canManageSubscriptions();
        return decision.allowed
          ? reply({
              kind: "notice",
              headline: "Subscribed",
              text: ["This channel gets country:NZ."],
              stories: [],
            })
          : reply({
              kind: "refused",
              headline: "Not allowed",
              text: [`Changing subscriptions needs ${decision.needed}.`],
              stories: [],
              private: true,
            });
      }
      return reply({ kind: "empty", headline: `No stories for ${text}`, text: [], stories: [] });
    },
    suggest: () => [],
  };
  return { handler, commands, releaseSlow: () => releaseSlow() };
}

export interface Running {
  adapter: SlackAdapter;
  /** Everything Bolt reported to app.error; each test asserts it stays empty. */
  errors: Error[];
  /** The HTTP receiver's endpoint (HTTP mode). */
  eventsUrl: string;
}

export async function startAdapter(
  fake: FakeSlack,
  handler: CommandHandler,
  mode: "http" | "socket",
  config: Partial<Config["slack"]> = {},
  extra: Partial<SlackAdapterOptions> = {},
): Promise<Running> {
  const errors: Error[] = [];
  const tokens = mode === "socket" ? { appToken: APP_TOKEN } : { signingSecret: SIGNING_SECRET };
  const adapter = new SlackAdapter({
    config: slackConfig({ botToken: BOT_TOKEN, apiUrl: fake.apiUrl, ...tokens, ...config }),
    log: silentLogger(),
    host: "127.0.0.1",
    retryConfig: FAST_RETRY,
    timeoutMs: 1000,
    socket: { clientPingTimeoutMs: 500, serverPingTimeoutMs: 10_000, retryConfig: FAST_RETRY },
    onError: (err) => errors.push(err),
    ...extra,
  });
  await adapter.start(handler);
  return { adapter, errors, eventsUrl: `http://127.0.0.1:${adapter.port}/slack/events` };
}

/** What a test file's hooks share: this test's fake Slack and, once started, its adapter. */
export interface SlackBed {
  fake: FakeSlack;
  running: Running | undefined;
  /** The started adapter (with `start` given to useSlack). */
  readonly adapter: SlackAdapter;
}

/**
 * Registers the hooks every adapter test file needs: a fresh fake Slack (with `users`) before each test; after
 * it, the adapter stopped, the fake closed, and nothing reported to Bolt's app.error. With `start`, each test
 * begins with an HTTP-mode adapter on the scripted handler, built with those options.
 */
export function useSlack(opts: { users?: FakeUser[]; start?: Partial<SlackAdapterOptions> } = {}): SlackBed {
  const bed: SlackBed = {
    fake: undefined as unknown as FakeSlack,
    running: undefined,
    get adapter() {
      if (!this.running) throw new Error("no adapter started");
      return this.running.adapter;
    },
  };
  beforeEach(async () => {
    bed.fake = await FakeSlack.start();
    for (const user of opts.users ?? []) bed.fake.users.set(user.id, user);
    if (opts.start)
      bed.running = await startAdapter(bed.fake, scriptedHandler().handler, "http", {}, opts.start);
  });
  afterEach(async () => {
    const errors = bed.running?.errors ?? [];
    await bed.running?.adapter.stop();
    bed.running = undefined;
    await bed.fake.close();
    expect(errors).toEqual([]);
  });
  return bed;
}

export function slashCommand(fake: FakeSlack, text: string, responseId = "r1", user = ASKER) {
  return {
    token: "unused-verification-token",
    team_id: TEAM,
    team_domain: "fake",
    channel_id: CHANNEL,
    channel_name: "alerts",
    user_id: user,
    user_name: "asker",
    command: "/cyber",
    text,
    api_app_id: "A0FAKE",
    response_url: fake.responseUrl(responseId),
    trigger_id: "1.2.3",
  };
}

export function shareClick(fake: FakeSlack, value: string, responseId = "share1", user = "U0CLICK") {
  return {
    type: "block_actions",
    token: "unused-verification-token",
    api_app_id: "A0FAKE",
    team: { id: TEAM, domain: "fake" },
    user: { id: user, username: "clicker", team_id: TEAM },
    channel: { id: CHANNEL, name: "alerts" },
    container: { type: "message", message_ts: "1700000000.000001", channel_id: CHANNEL, is_ephemeral: true },
    trigger_id: "4.5.6",
    response_url: fake.responseUrl(responseId),
    actions: [
      {
        type: "button",
        action_id: "cyberbrief_share",
        block_id: "share",
        value,
        text: { type: "plain_text", text: "Share in channel" },
        action_ts: "1700000001.000002",
      },
    ],
  };
}

export interface SignOptions {
  secret?: string;
  /** Seconds since the epoch; now when not given. */
  timestamp?: number;
  /** Changes the body after it was signed. */
  tamper?: (body: string) => string;
}

/** POSTs a form body the way Slack does: `v0=` + HMAC-SHA256 of `v0:<ts>:<raw body>`. */
export function postSigned(url: string, form: Record<string, string>, opts: SignOptions = {}) {
  const body = new URLSearchParams(form).toString();
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", opts.secret ?? SIGNING_SECRET)
    .update(`v0:${ts}:${body}`)
    .digest("hex");
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": `v0=${signature}`,
    },
    body: opts.tamper ? opts.tamper(body) : body,
  });
}
