// Digests through the real dispatcher and the real Slack and Discord clients against the fake servers, with an
// injected clock: one message per period, one line per event, nothing when empty, never posted twice.

import { afterEach, describe, expect, it } from "vitest";
import { buildDigest } from "../../src/alerts/digest.js";
import { DigestScheduler } from "../../src/alerts/digest-schedule.js";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import { digestMarker } from "../../src/chat/discord/digest.js";
import type { ChatAdapter } from "../../src/chat/types.js";
import type { Clock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/log/logger.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { alertsConfig, ManualClock, openStore, save, tags } from "../alerts/fixtures.js";
import { startBot } from "../chat/discord/harness.js";
import { FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { scriptedHandler, startAdapter } from "../chat/slack/fixtures.js";
import { waitFor } from "../helpers/tmp.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SLACK = `slack:${TEAM}/C0DIGEST`;
const DAILY = { mode: "daily" as const, at: "08:00" };

async function platforms(extra: Parameters<typeof startAdapter>[4] = {}) {
  const slack = await FakeSlack.start();
  const running = await startAdapter(slack, scriptedHandler().handler, "http", {}, extra);
  const bot = await startBot();
  cleanups.push(async () => {
    await running.adapter.stop();
    await slack.close();
    await bot.stop();
    expect(running.errors).toEqual([]);
    expect(bot.errors).toEqual([]);
  });
  const g = bot.fake.guild;
  return { slack, running, bot, discord: `discord:${g.id}/${g.channels[0]}` };
}

/**
 * The dispatcher's clock: real time moved to the test's date (its retry and outage holds need time to pass);
 * the store's clock and the scheduler's ticks stay where the test puts them.
 */
function movedClock(at: string): Clock {
  const offset = Date.parse(at) - Date.now();
  return { now: () => Date.now() + offset };
}

function bed(clock: ManualClock, adapters: ChatAdapter[], store: SqliteStoryStore, sendTimeoutMs = 5000) {
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    adapters: new Map(adapters.map((a) => [a.platform, a])),
    log: silentLogger(),
    alerts: alertsConfig({ sendTimeoutMs, baseRetryMs: 0, maxRetryMs: 0 }),
    clock: movedClock("2026-12-02T08:00:30Z"),
    pollMs: 20,
  });
  const scheduler = new DigestScheduler({ store: store.digests, zone: "UTC", log: silentLogger(), clock });
  cleanups.push(async () => {
    await scheduler.stop();
    await dispatcher.stop();
    await store.close();
  });
  return { dispatcher, scheduler };
}

const unsent = (store: SqliteStoryStore) =>
  store.db.prepare("SELECT count(*) FROM deliveries WHERE status != 'sent'").pluck().get() as number;

describe("digests on Slack and Discord", () => {
  it("one message per period, most-reported event first with +N sources, and nothing for an empty period", async () => {
    const { slack, running, bot, discord } = await platforms();
    const clock = new ManualClock(Date.parse("2026-12-01T09:00:00Z"));
    const store = openStore(undefined, clock);
    await store.subscribe(SLACK, "country:NZ", "U1", DAILY);
    await store.subscribe(discord, "all", "U1", DAILY);
    clock.t = Date.parse("2026-12-01T10:00:00Z");
    const single = await save(
      store,
      "/single.txt",
      "A single report about NZ",
      tags([], { NZ: ["mentioned"] }),
    );
    const lead = await save(
      store,
      "/lead.txt",
      "APT40 hits Wellington",
      tags(["APT40"], { NZ: ["mentioned"] }),
    );
    const copy = await save(
      store,
      "/copy.txt",
      "Wire copy of the APT40 story",
      tags(["APT40"], { NZ: ["mentioned"] }),
    );
    store.db
      .prepare("UPDATE stories SET event_rowid = (SELECT rowid FROM stories WHERE id = ?) WHERE id = ?")
      .run(lead.storyId, copy.storyId);
    const { dispatcher, scheduler } = bed(clock, [running.adapter, bot.adapter], store);
    await dispatcher.start();

    clock.t = Date.parse("2026-12-02T08:00:30Z");
    expect((await scheduler.tick()).queued).toBe(2);
    await waitFor(() => unsent(store) === 0, 10_000, "both digests sent");
    await scheduler.tick(Date.parse("2026-12-02T08:05:00Z"));

    const posts = slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.answer?.ok).toBe(true);
    expect(posts[0]?.params.text).toBe(
      "Daily digest: country:NZ · 1 Dec 08:00 – 2 Dec 2026 08:00 UTC: 2 events, most-reported first",
    );
    const blocks = posts[0]?.params.blocks ?? "";
    const leadLine = blocks.indexOf("APT40 hits Wellington");
    expect(leadLine).toBeGreaterThan(0);
    expect(blocks.indexOf("A single report about NZ")).toBeGreaterThan(leadLine);
    expect(blocks).toContain("APT40 hits Wellington* · 2024-07-09 · +1 source · `");
    expect(blocks).not.toContain("Wire copy");
    expect(blocks).toContain(`\`${single.storyId}\``);
    expect(JSON.parse(posts[0]?.params.metadata ?? "{}")).toEqual({
      event_type: "cyberbrief_digest",
      event_payload: { key: `${SLACK}|country:NZ|daily|2026-12-02` },
    });

    const sent = bot.fake.find("POST", /\/channels\/\d+\/messages$/);
    expect(sent).toHaveLength(1);
    const [embed] = ([...bot.fake.messages.values()][0]?.embeds ?? []) as Array<{
      title?: string;
      description?: string;
      footer?: { text: string };
    }>;
    expect(embed?.title).toBe("Daily digest: all · 1 Dec 08:00 – 2 Dec 2026 08:00 UTC");
    expect(embed?.description?.split("\n")).toEqual([
      `• **APT40 hits Wellington** · 2024-07-09 · +1 source · \`${lead.storyId}\``,
      `• **A single report about NZ** · 2024-07-09 · \`${single.storyId}\``,
    ]);
    expect(embed?.footer?.text).toContain(digestMarker(`${discord}|all|daily|2026-12-02`));

    // The next day had nothing: no digest row, so nothing can be sent.
    expect(await scheduler.tick(Date.parse("2026-12-03T08:00:30Z"))).toEqual({
      queued: 0,
      exists: 0,
      empty: 2,
    });
    expect(store.db.prepare("SELECT count(*) FROM deliveries WHERE kind = 'digest'").pluck().get()).toBe(2);
    expect(unsent(store)).toBe(0);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(bot.fake.find("POST", /\/channels\/\d+\/messages$/)).toHaveLength(1);
  });

  it("Slack: a digest posted but unanswered (timeout) is found in the history, not posted again", async () => {
    // The client's own timeout is long: the held request stays open, as a crashed process's would not matter.
    const { slack, running } = await platforms({ timeoutMs: 60_000 });
    const clock = new ManualClock(Date.parse("2026-12-01T09:00:00Z"));
    const store = openStore(undefined, clock);
    await store.subscribe(SLACK, "country:NZ", "U1", DAILY);
    clock.t = Date.parse("2026-12-01T10:00:00Z");
    await save(store, "/a.txt", "A report about NZ", tags([], { NZ: ["mentioned"] }));
    slack.fail("chat.postMessage", { kind: "hold" });
    const { dispatcher, scheduler } = bed(clock, [running.adapter], store, 300);
    await dispatcher.start();
    clock.t = Date.parse("2026-12-02T08:00:30Z");
    await scheduler.tick();
    await waitFor(() => unsent(store) === 0, 10_000, "the digest recorded as sent");
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(slack.callsTo("conversations.history").length).toBeGreaterThanOrEqual(1);
    const [ts] = [...slack.messages.keys()];
    expect(store.db.prepare("SELECT message_id FROM deliveries WHERE kind = 'digest'").pluck().get()).toBe(
      ts,
    );
  });

  it("Discord: a digest left 'sending' by a crash after it was posted is found and marked sent", async () => {
    const { bot, discord } = await platforms();
    const clock = new ManualClock(Date.parse("2026-12-01T09:00:00Z"));
    const store = openStore(undefined, clock);
    await store.subscribe(discord, "all", "U1", DAILY);
    clock.t = Date.parse("2026-12-01T10:00:00Z");
    await save(store, "/a.txt", "A report", tags(["APT40"]));
    const { dispatcher, scheduler } = bed(clock, [bot.adapter], store);
    clock.t = Date.parse("2026-12-02T08:00:30Z");
    await scheduler.tick();
    // What the killed process did: it claimed the row and posted the digest, but never recorded the answer.
    const id = store.db.prepare("SELECT id FROM deliveries WHERE kind = 'digest'").pluck().get() as number;
    const [row] = await store.outbox.dueForChannel(discord, clock.now(), 1);
    await store.outbox.claim([id], clock.now());
    const queued = await store.outbox.digestOf(id);
    if (!queued) throw new Error("no digest payload");
    const stories = await store.outbox.stories(queued.payload.events.map(([e]) => e));
    const digest = buildDigest(queued.key, "all", queued.payload, stories);
    if (!digest) throw new Error("no digest built");
    const posted = await bot.adapter.deliver(discord, { kind: "digest", digest });
    expect(row?.kind).toBe("digest");

    await dispatcher.start();
    await waitFor(() => unsent(store) === 0, 10_000, "the digest reconciled");
    expect(bot.fake.find("POST", /\/channels\/\d+\/messages$/)).toHaveLength(1);
    expect(bot.fake.find("GET", /\/channels\/\d+\/messages$/)).toHaveLength(1);
    expect(store.db.prepare("SELECT message_id FROM deliveries WHERE id = ?").pluck().get(id)).toBe(
      posted.messageId,
    );
  });
});
