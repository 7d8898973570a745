// Digest queueing on a real store with an injected clock: gathering by the stream's rule, grouping into events,
// ordering, exactly one row per subscription and period (tick twice, a restart), and the catch-up rules.

import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/alerts/digest-schedule.js";
import { silentLogger } from "../../src/log/logger.js";
import type { DigestPayload } from "../../src/store/digests.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { tempDir } from "../helpers/tmp.js";
import { article, file, ManualClock, openStore, save, tags } from "./fixtures.js";

const NZ = "slack:T1/CNZ";
const ALL = "slack:T1/CALL";
const DAILY = { mode: "daily" as const, at: "08:00" };

const stores: SqliteStoryStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function bed(path = join(tempDir(), "cb.db"), clock = new ManualClock(Date.parse("2026-12-01T09:00:00Z"))) {
  const store = openStore(path, clock);
  stores.push(store);
  const scheduler = new DigestScheduler({ store: store.digests, zone: "UTC", log: silentLogger(), clock });
  return { store, clock, scheduler, path };
}

type Row = { id: number; channel_ref: string; digest_key: string; payload: string; story_rowid: number };
const digestRows = (store: SqliteStoryStore): Row[] =>
  store.db.prepare("SELECT * FROM deliveries WHERE kind = 'digest' ORDER BY id").all() as Row[];
const payloadOf = (row: Row | undefined) => JSON.parse(row?.payload ?? "null") as DigestPayload;
const rowidOf = (store: SqliteStoryStore, id: string) =>
  store.db.prepare("SELECT rowid FROM stories WHERE id = ?").pluck().get(id) as number;

/** Saves at the given time (the clock moves there), routed as ingest does. */
async function saveAt(
  b: ReturnType<typeof bed>,
  iso: string,
  path: string,
  analysis = tags([], { NZ: ["mentioned"] }),
) {
  b.clock.t = Date.parse(iso);
  return (await save(b.store, path, path, analysis)).storyId;
}

describe("gathering a digest", () => {
  it("takes the period's matching stories as events, most-reported first, with their sources counted", async () => {
    const b = bed();
    await b.store.subscribe(NZ, "country:NZ", "ana", DAILY);
    const older = await saveAt(b, "2026-11-30T12:00:00Z", "/older.txt", tags([], { US: ["mentioned"] }));
    const a = await saveAt(b, "2026-12-01T10:00:00Z", "/a.txt");
    const lead = await saveAt(b, "2026-12-01T11:00:00Z", "/b.txt", tags(["APT40"], { NZ: ["mentioned"] }));
    await saveAt(b, "2026-12-01T12:00:00Z", "/au.txt", tags([], { AU: ["mentioned"] }));
    const joined = await saveAt(b, "2026-12-01T13:00:00Z", "/b2.txt");
    await saveAt(b, "2026-12-02T08:30:00Z", "/next.txt");
    // Event assignment (built elsewhere) names an event by its first story: two more stories joined `lead`'s.
    const setEvent = b.store.db.prepare("UPDATE stories SET event_rowid = ? WHERE id = ?");
    setEvent.run(rowidOf(b.store, lead), joined);
    setEvent.run(rowidOf(b.store, lead), older);

    const report = await b.scheduler.tick(Date.parse("2026-12-02T08:00:30Z"));
    expect(report).toEqual({ queued: 1, exists: 0, empty: 0 });
    const [row, ...more] = digestRows(b.store);
    expect(more).toEqual([]);
    expect(row?.digest_key).toBe(`${NZ}|country:NZ|daily|2026-12-02`);
    const p = payloadOf(row);
    // `lead` has three stories (one from before the period, one that does not mention NZ): two other sources.
    expect(p.events).toEqual([
      [rowidOf(b.store, lead), 3],
      [rowidOf(b.store, a), 1],
    ]);
    expect(p.total).toBe(2);
    expect(p.label).toBe("1 Dec 08:00 – 2 Dec 2026 08:00 UTC");
    expect(row?.story_rowid).toBe(rowidOf(b.store, lead));
  });

  it("`all` gathers only cyber stories, and quiet ones (a feed's first poll) are left out", async () => {
    const b = bed();
    await b.store.subscribe(ALL, "all", "ana", DAILY);
    const cyber = await saveAt(b, "2026-12-01T10:00:00Z", "/cyber.txt");
    await saveAt(b, "2026-12-01T11:00:00Z", "/film.txt", {
      ...tags([], { NZ: ["mentioned"] }),
      cyber: false,
    });
    b.clock.t = Date.parse("2026-12-01T12:00:00Z");
    await b.store.saveArticles([
      {
        article: article("https://feed.example/1", "Baseline"),
        analysis: tags(["APT40"]),
        file: file("https://feed.example/1"),
        alert: false,
      },
    ]);
    await b.scheduler.tick(Date.parse("2026-12-02T09:00:00Z"));
    expect(payloadOf(digestRows(b.store)[0]).events).toEqual([[rowidOf(b.store, cyber), 1]]);
  });

  it("queues nothing for a period with nothing in it, and looks only once", async () => {
    const b = bed();
    await b.store.subscribe(NZ, "country:NZ", "ana", DAILY);
    await saveAt(b, "2026-12-01T10:00:00Z", "/au.txt", tags([], { AU: ["mentioned"] }));
    expect(await b.scheduler.tick(Date.parse("2026-12-02T08:01:00Z"))).toEqual({
      queued: 0,
      exists: 0,
      empty: 1,
    });
    expect(await b.scheduler.tick(Date.parse("2026-12-02T08:02:00Z"))).toEqual({
      queued: 0,
      exists: 0,
      empty: 0,
    });
    expect(digestRows(b.store)).toEqual([]);
  });
});

describe("exactly one digest per subscription per period", () => {
  it("ticking again, and a restart on the same file, add no second row", async () => {
    const b = bed();
    await b.store.subscribe(NZ, "country:NZ", "ana", DAILY);
    await saveAt(b, "2026-12-01T10:00:00Z", "/a.txt");
    expect((await b.scheduler.tick(Date.parse("2026-12-02T08:00:00Z"))).queued).toBe(1);
    expect((await b.scheduler.tick(Date.parse("2026-12-02T08:01:00Z"))).queued).toBe(0);
    // A story stored after the period's end belongs to the next period, not to this digest.
    await saveAt(b, "2026-12-02T08:05:00Z", "/late.txt");
    // The restarted bot: a new store object and a new scheduler on the same database file.
    const again = bed(b.path, new ManualClock(Date.parse("2026-12-02T08:10:00Z")));
    expect(await again.scheduler.tick()).toEqual({ queued: 0, exists: 1, empty: 0 });
    expect(digestRows(again.store)).toHaveLength(1);
    expect(payloadOf(digestRows(again.store)[0]).total).toBe(1);
    // The next day's digest is its own row, with the late story.
    expect((await again.scheduler.tick(Date.parse("2026-12-03T08:00:00Z"))).queued).toBe(1);
    expect(digestRows(again.store).map((r) => r.digest_key.split("|")[3])).toEqual([
      "2026-12-02",
      "2026-12-03",
    ]);
  });

  it("after downtime only the latest missed period is sent", async () => {
    const b = bed();
    await b.store.subscribe(NZ, "country:NZ", "ana", DAILY);
    await saveAt(b, "2026-12-01T10:00:00Z", "/a.txt");
    const recent = await saveAt(b, "2026-12-04T10:00:00Z", "/b.txt");
    await b.scheduler.tick(Date.parse("2026-12-05T10:00:00Z"));
    const rows = digestRows(b.store);
    expect(rows.map((r) => r.digest_key.split("|")[3])).toEqual(["2026-12-05"]);
    expect(payloadOf(rows[0]).events).toEqual([[rowidOf(b.store, recent), 1]]);
  });

  it("a period that ended before the subscription took its schedule is not sent", async () => {
    const b = bed();
    await saveAt(b, "2026-12-02T07:00:00Z", "/a.txt");
    b.clock.t = Date.parse("2026-12-02T09:00:00Z");
    await b.store.subscribe(NZ, "country:NZ", "ana", DAILY);
    expect(await b.scheduler.tick(Date.parse("2026-12-02T09:01:00Z"))).toEqual({
      queued: 0,
      exists: 0,
      empty: 0,
    });
    await saveAt(b, "2026-12-02T10:00:00Z", "/b.txt");
    expect((await b.scheduler.tick(Date.parse("2026-12-03T08:00:00Z"))).queued).toBe(1);
  });
});

describe("switching a subscription between the stream and a digest", () => {
  it("is audited, stops stream alerts (queued ones too) and goes back with a plain subscribe", async () => {
    const b = bed();
    await b.store.subscribe(NZ, "country:NZ", "ana");
    await saveAt(b, "2026-12-01T10:00:00Z", "/a.txt");
    const queued = () =>
      b.store.db
        .prepare("SELECT status FROM deliveries WHERE channel_ref = ? AND kind = 'alert' ORDER BY id")
        .pluck()
        .all(NZ);
    expect(queued()).toEqual(["pending"]);
    expect(await b.store.subscribe(NZ, "country:NZ", "ben", DAILY)).toEqual({
      created: false,
      switched: { from: null },
    });
    expect(queued()).toEqual(["cancelled"]);
    await saveAt(b, "2026-12-01T11:00:00Z", "/b.txt");
    expect(queued()).toEqual(["cancelled"]);
    expect(await b.store.subscribe(NZ, "country:NZ", "ben", DAILY)).toEqual({ created: false });
    expect((await b.store.subscriptions(NZ))[0]?.digest).toEqual(DAILY);
    expect(await b.store.subscribe(NZ, "country:NZ", "cat")).toEqual({
      created: false,
      switched: { from: DAILY },
    });
    await saveAt(b, "2026-12-01T12:00:00Z", "/c.txt");
    expect(queued()).toEqual(["cancelled", "pending"]);
    const trail = (await b.store.subscriptionHistory(NZ)).map((e) => [e.action, e.user, e.reason]);
    expect(trail).toEqual([
      ["subscribe", "ana", null],
      ["subscribe", "ben", "daily at 08:00"],
      ["subscribe", "cat", "stream"],
    ]);
  });

  it("routing never queues a stream alert for a digest subscription", async () => {
    const b = bed();
    await b.store.subscribe(NZ, "country:NZ", "ana", { mode: "weekly", at: "07:30" });
    await saveAt(b, "2026-12-01T10:00:00Z", "/a.txt");
    expect(b.store.db.prepare("SELECT count(*) FROM deliveries").pluck().get()).toBe(0);
  });
});
