// The real dispatcher driving the real Slack and Discord adapters against their fakes: retries and dead channels.

import { afterEach, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import type { ChatAdapter } from "../../src/chat/types.js";
import { silentLogger } from "../../src/log/logger.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { alertsConfig, openStore, save, statuses, tags } from "../alerts/fixtures.js";
import { failures } from "../chat/discord/fake-discord.js";
import { type Bot, startBot } from "../chat/discord/harness.js";
import { FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { scriptedHandler, startAdapter } from "../chat/slack/fixtures.js";
import { waitFor } from "../helpers/tmp.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dispatch(store: SqliteStoryStore, adapter: ChatAdapter): Dispatcher {
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    adapters: new Map([[adapter.platform, adapter]]),
    log: silentLogger(),
    alerts: alertsConfig({ maxAttempts: 4, baseRetryMs: 5, maxRetryMs: 20, sendTimeoutMs: 2000 }),
  });
  dispatcher.start();
  cleanups.push(() => dispatcher.stop());
  return dispatcher;
}

describe("Slack through the dispatcher", () => {
  async function slack() {
    const fake = await FakeSlack.start();
    const running = await startAdapter(fake, scriptedHandler().handler, "http");
    cleanups.push(async () => {
      await running.adapter.stop();
      await fake.close();
      expect(running.errors).toEqual([]);
    });
    const store = openStore();
    cleanups.push(() => store.close());
    return { fake, adapter: running.adapter, store };
  }

  it("a 429 with Retry-After is waited out and the alert still arrives once", async () => {
    const { fake, adapter, store } = await slack();
    const ref = `slack:${TEAM}/C0ALERTS`;
    await store.subscribe(ref, "actor:APT40", "U1");
    fake.fail("chat.postMessage", { kind: "ratelimit", retryAfter: 0 });
    dispatch(store, adapter);
    await save(store, "/a.txt", "APT40 again", tags(["APT40"]));
    await waitFor(() => statuses(store, ref)[0] === "sent", 5000, "the alert to be sent");
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);
  });

  it("channel_not_found switches the channel's subscriptions off, with the reason", async () => {
    const { fake, adapter, store } = await slack();
    const ref = `slack:${TEAM}/C0GONE`;
    await store.subscribe(ref, "all", "U1");
    fake.fail("chat.postMessage", { kind: "error", error: "channel_not_found" });
    dispatch(store, adapter);
    await save(store, "/a.txt", "Any story", tags([]));
    await waitFor(
      async () => (await store.subscriptions(ref))[0]?.disabledAt,
      5000,
      "the subscription to be disabled",
    );
    expect((await store.subscriptions(ref))[0]?.disabledReason).toContain("channel_not_found");
    await save(store, "/b.txt", "Next story", tags([]));
    expect(statuses(store, ref)).not.toContain("pending");
  });
});

describe("Discord through the dispatcher", () => {
  async function discord(): Promise<{ bot: Bot; store: SqliteStoryStore; ref: string }> {
    const bot = await startBot();
    cleanups.push(async () => {
      await bot.stop();
      expect(bot.errors).toEqual([]);
    });
    const store = openStore();
    cleanups.push(() => store.close());
    const g = bot.fake.guild;
    return { bot, store, ref: `discord:${g.id}/${g.channels[0]}` };
  }
  const MESSAGES = /^\/api\/v10\/channels\/\d+\/messages$/;

  it("a 429 on a message is waited out and retried", async () => {
    const { bot, store, ref } = await discord();
    await store.subscribe(ref, "country:NZ", "U1");
    bot.fake.fail({ method: "POST", path: MESSAGES, respond: failures.rateLimited(0.05) });
    dispatch(store, bot.adapter);
    await save(store, "/a.txt", "NZ story", tags([], { NZ: ["mentioned"] }));
    await waitFor(() => statuses(store, ref)[0] === "sent", 5000, "the alert to be sent");
    expect(bot.fake.find("POST", MESSAGES).map((r) => r.status)).toEqual([429, 200]);
  });

  it("Unknown Channel (10003) switches the channel's subscriptions off", async () => {
    const { bot, store, ref } = await discord();
    await store.subscribe(ref, "all", "U1");
    bot.fake.fail({
      method: "POST",
      path: MESSAGES,
      times: 5,
      respond: failures.api(404, 10003, "Unknown Channel"),
    });
    dispatch(store, bot.adapter);
    await save(store, "/a.txt", "Any story", tags([]));
    await waitFor(
      async () => (await store.subscriptions(ref))[0]?.disabledAt,
      5000,
      "the subscription to be disabled",
    );
    expect((await store.subscriptions(ref))[0]?.disabledReason).toContain("10003");
  });
});
