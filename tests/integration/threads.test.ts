// A later source of an alerted event through the real dispatcher and the real clients: on Slack and Discord it
// lands in the alert's thread and the alert shows "+1 source"; a revision still edits the alert in place.

import { afterEach, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import type { ChatAdapter } from "../../src/chat/types.js";
import { silentLogger } from "../../src/log/logger.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { saveSource } from "../alerts/events.js";
import { alertsConfig, deliveries, openStore, save, tags } from "../alerts/fixtures.js";
import { startBot } from "../chat/discord/harness.js";
import { FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { scriptedHandler, startAdapter } from "../chat/slack/fixtures.js";
import { waitFor } from "../helpers/tmp.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dispatch(store: SqliteStoryStore, adapter: ChatAdapter) {
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    adapters: new Map([[adapter.platform, adapter]]),
    log: silentLogger(),
    alerts: alertsConfig({ sendTimeoutMs: 2000 }),
  });
  dispatcher.start();
  cleanups.push(() => dispatcher.stop());
}

const NZ_TAGS = tags(["APT40"], { NZ: ["mentioned"] });
const COPY_TAGS = tags(["APT40", "APT41"], { NZ: ["mentioned"] });
const settled = (store: SqliteStoryStore, n: number) => () =>
  deliveries(store).length === n && deliveries(store).every((d) => d.status === "sent");

describe("a later source on Slack", () => {
  it("lands in the alert's thread, the alert shows '+1 source'; a revision still edits the alert", async () => {
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
    dispatch(store, running.adapter);
    await save(store, "/a.txt", "APT40 breaches NZ agency", NZ_TAGS);
    await waitFor(settled(store, 1), 5000, "the alert");
    const ts = deliveries(store)[0]?.message_id ?? "";
    await saveSource(store, "/b.txt", "APT40 and APT41 in NZ breach (wire)", COPY_TAGS, "/a.txt");
    await waitFor(settled(store, 2), 5000, "the thread reply");
    const [reply] = fake.replies(ts);
    expect(JSON.stringify(reply?.blocks)).toContain("APT40 and APT41 in NZ breach (wire)");
    expect(JSON.stringify(reply?.blocks)).toContain("*Adds: APT41*");
    expect(JSON.stringify(fake.messages.get(ts)?.blocks)).toContain("*+1 source*");
    expect(fake.callsTo("chat.postMessage").filter((c) => !c.params.thread_ts)).toHaveLength(1);
    await save(store, "/a.txt", "APT40 confirmed in NZ agency breach", NZ_TAGS, "Confirmed.");
    await waitFor(settled(store, 3), 5000, "the edit");
    expect(fake.messages.get(ts)?.blocks[0]?.text?.text).toBe("APT40 confirmed in NZ agency breach");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
  });
});

describe("a later source on Discord", () => {
  it("lands in a thread on the alert, the alert shows '+1 source'; a revision still edits the alert", async () => {
    const bot = await startBot();
    const store = openStore();
    cleanups.push(async () => {
      await bot.stop();
      await store.close();
      expect(bot.errors).toEqual([]);
    });
    const g = bot.fake.guild;
    await store.subscribe(`discord:${g.id}/${g.channels[0]}`, "country:NZ", "U1");
    dispatch(store, bot.adapter);
    await save(store, "/a.txt", "APT40 breaches NZ agency", NZ_TAGS);
    await waitFor(settled(store, 1), 5000, "the alert");
    const id = deliveries(store)[0]?.message_id ?? "";
    await saveSource(store, "/b.txt", "APT40 and APT41 in NZ breach (wire)", COPY_TAGS, "/a.txt");
    await waitFor(settled(store, 2), 5000, "the thread reply");
    const replyId = deliveries(store)[1]?.message_id ?? "";
    expect(bot.fake.threads.get(id)?.name).toBe("APT40 breaches NZ agency");
    expect(bot.fake.messages.get(replyId)?.channel_id).toBe(id);
    const [parent] = (bot.fake.messages.get(id)?.embeds ?? []) as Array<{ footer?: { text: string } }>;
    expect(parent?.footer?.text).toContain("+1 source");
    await save(store, "/a.txt", "APT40 confirmed in NZ agency breach", NZ_TAGS, "Confirmed.");
    await waitFor(settled(store, 3), 5000, "the edit");
    const [embed] = (bot.fake.messages.get(id)?.embeds ?? []) as Array<{ title?: string }>;
    expect(embed?.title).toBe("APT40 confirmed in NZ agency breach");
    expect(bot.fake.find("POST", /\/channels\/\d+\/messages$/)).toHaveLength(2);
  });
});
