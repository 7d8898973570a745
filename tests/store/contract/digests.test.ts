// Contract: digests, the same on SQLite and PostgreSQL: digest subscriptions, the stories ingested in a period
// (quiet ones left out), events and their sizes, keyword phrases with search's word forms, and one row per key
// even when two connections race for it.

import { expect, it } from "vitest";
import { gatherDigest } from "../../../src/alerts/digest.js";
import type { Analysis } from "../../../src/core/article.js";
import type { DigestPeriod } from "../../../src/core/digest.js";
import type { TagKey } from "../../../src/core/tags.js";
import type {
  DigestCandidate,
  DigestPayload,
  DigestSubscription,
  DigestTx,
} from "../../../src/store/digests.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { digestsOf, rowidOf, rowsOf, run } from "./seams.js";
import { type ContractStore, contract } from "./stores.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-12-01T08:00:00Z");
const CHANNEL = "slack:T1/C1";
const period: DigestPeriod = { start: T0, end: T0 + 24 * HOUR, id: "2026-12-02", label: "1-2 Dec" };

const actor = (id: string) => ({ id, name: id, attackId: null, sponsor: null, matched: [] });
const apt40 = analysisOf({ summary: "s", cyber: true, actors: [actor("APT40")] });
const untagged = analysisOf({ summary: "s" });

function fixture() {
  let now = T0;
  return { clock: { now: () => now }, at: (ms: number) => (now = T0 + ms) };
}

type Fixture = ReturnType<typeof fixture>;

/** Saves a story at `ms` after T0 (its ingest time); quiet like a feed's first poll when `quiet`. */
async function saveAt(
  store: ContractStore,
  f: Fixture,
  ms: number,
  path: string,
  body: string,
  a: Analysis,
  quiet = false,
) {
  f.at(ms);
  await store.saveArticles([
    { article: article(path, body), analysis: a, file: { path, size: 1, mtimeMs: 1 }, alert: !quiet },
  ]);
  return rowidOf(store, path);
}

const sub = (tag: TagKey): DigestSubscription => ({
  channelRef: CHANNEL,
  platform: "slack",
  tag,
  schedule: { mode: "daily", at: "08:00" },
  since: 0,
});

const gather = (tag: TagKey) => (tx: DigestTx) => gatherDigest(tx, sub(tag), period, "UTC");

type DigestRow = {
  digest_key: string;
  story_rowid: number;
  channel_ref: string;
  platform: string;
  tags: string;
  status: string;
  payload: string;
};
const digestRows = (store: ContractStore) =>
  rowsOf<DigestRow>(
    store,
    "SELECT digest_key, story_rowid, channel_ref, platform, tags, status, payload FROM deliveries WHERE kind = 'digest' ORDER BY id",
  );

contract("digests", ({ open }) => {
  it("gathers the stories ingested in [start, end), leaving quiet ones out", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    const first = await saveAt(store, f, 0, "/a.txt", "Hackers breached the port authority network.", apt40);
    const second = await saveAt(store, f, HOUR, "/b.txt", "A quiet morning at the harbour museum.", untagged);
    await saveAt(store, f, 2 * HOUR, "/c.txt", "Old feed item about a ransomware gang.", apt40, true);
    await saveAt(store, f, 24 * HOUR, "/d.txt", "Next day: the telescope array went offline.", apt40);
    await saveAt(store, f, -1, "/e.txt", "Just before: a lighthouse keeper retired.", apt40);
    let seen: DigestCandidate[] = [];
    const digests = digestsOf(store, f.clock);
    const result = await digests.queueDigest("k", (tx) => {
      seen = tx.ingestedBetween(period.start, period.end);
      return null;
    });
    expect(result).toBe("empty");
    expect(
      seen.map((c) => [c.rowid, c.event, c.cyber, c.actors.map((a) => a.id), c.countries, c.cves]),
    ).toEqual([
      [first, first, true, ["APT40"], [], []],
      [second, second, false, [], [], []],
    ]);
    expect(await digestRows(store)).toEqual([]);
  });

  it("queues one row per key, events most-reported first, and never a second for the same key", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    const a = await saveAt(store, f, 0, "/a.txt", "Hackers breached the port authority network.", apt40);
    const b = await saveAt(store, f, HOUR, "/b.txt", "A phishing wave hit university mailboxes.", apt40);
    const c = await saveAt(
      store,
      f,
      2 * HOUR,
      "/c.txt",
      "Wiper malware struck a regional water utility.",
      apt40,
    );
    await saveAt(store, f, 3 * HOUR, "/d.txt", "A quiet morning at the harbour museum.", untagged);
    // c reports a's event again (as the same-event merge records it): a's event has two stories.
    await run(store, `UPDATE stories SET event_rowid = ${a} WHERE rowid = ${c}`);
    const added: number[] = [];
    f.at(5 * HOUR);
    const digests = digestsOf(store, f.clock, (n) => added.push(n));
    expect(await digests.queueDigest("slack:T1/C1|actor:APT40|daily|2026-12-02", gather("actor:APT40"))).toBe(
      "queued",
    );
    expect(added).toEqual([1]);
    const [row, ...more] = await digestRows(store);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      story_rowid: a,
      channel_ref: CHANNEL,
      platform: "slack",
      tags: "actor:APT40",
      status: "pending",
    });
    const payload = JSON.parse(row?.payload ?? "{}") as DigestPayload;
    expect(payload).toMatchObject({ v: 1, mode: "daily", start: period.start, end: period.end, total: 2 });
    expect(payload.events).toEqual([
      [a, 2],
      [b, 1],
    ]);
    let built = 0;
    const again = await digests.queueDigest("slack:T1/C1|actor:APT40|daily|2026-12-02", (tx) => {
      built++;
      return gather("actor:APT40")(tx);
    });
    expect([again, built, added]).toEqual(["exists", 0, [1]]);
  });

  it("counts each event's stories in all, and matches keyword phrases with search's word forms", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    const a = await saveAt(
      store,
      f,
      0,
      "/a.txt",
      "Hackers attacked the electoral commission overnight.",
      untagged,
    );
    await saveAt(store, f, HOUR, "/b.txt", "The commission said electoral rolls were safe.", untagged);
    const c = await saveAt(
      store,
      f,
      2 * HOUR,
      "/c.txt",
      "Electoral Commissions across Europe raised alarms.",
      untagged,
    );
    await saveAt(
      store,
      f,
      3 * HOUR,
      "/d.txt",
      "A feed's old item: electoral commission hacked.",
      untagged,
      true,
    );
    const late = await saveAt(
      store,
      f,
      30 * HOUR,
      "/e.txt",
      "Later: the electoral commission confirmed it.",
      untagged,
    );
    await run(store, `UPDATE stories SET event_rowid = ${a} WHERE rowid = ${late}`);
    const digests = digestsOf(store, f.clock);
    let found: Array<Set<number>> = [];
    let sizes = new Map<number, number>();
    await digests.queueDigest("probe", (tx) => {
      const ids = tx.ingestedBetween(0, T0 + 99 * HOUR).map((s) => s.rowid);
      found = [
        tx.withPhrase("electoral commission", ids),
        tx.withPhrase("?!", ids),
        tx.withPhrase("electoral", []),
      ];
      sizes = tx.eventSizes([a, c, 999]);
      return null;
    });
    expect(found).toEqual([new Set([a, c, late]), new Set(), new Set()]);
    expect(sizes).toEqual(
      new Map([
        [a, 2],
        [c, 1],
        [999, 0],
      ]),
    );
    expect(await digests.queueDigest("kw", gather("keyword:electoral commission"))).toBe("queued");
    const payload = JSON.parse((await digestRows(store))[0]?.payload ?? "{}") as DigestPayload;
    // a's event has two stories in all (one ingested after the period), c's one.
    expect([payload.events, payload.total]).toEqual([
      [
        [a, 2],
        [c, 1],
      ],
      2,
    ]);
  });

  it("queues nothing for a period with no matching story, so a later look may still queue it", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    await saveAt(store, f, 0, "/a.txt", "Hackers breached the port authority network.", apt40);
    const digests = digestsOf(store, f.clock);
    expect(await digests.queueDigest("k", gather("actor:APT1"))).toBe("empty");
    expect(await digests.queueDigest("k", gather("keyword:telescope array"))).toBe("empty");
    expect(await digestRows(store)).toEqual([]);
    expect(await digests.queueDigest("k", gather("all"))).toBe("queued");
    expect((await digestRows(store)).map((r) => r.digest_key)).toEqual(["k"]);
  });

  it("queues a key once when two connections race for it", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    await saveAt(store, f, 0, "/a.txt", "Hackers breached the port authority network.", apt40);
    const other = await store.reopen({ clock: f.clock });
    const one = digestsOf(store, f.clock);
    const two = digestsOf(other, f.clock);
    const keys = ["r1", "r2", "r3", "r4", "r5"];
    for (const key of keys) {
      const results = await Promise.all([
        one.queueDigest(key, gather("actor:APT40")),
        two.queueDigest(key, gather("actor:APT40")),
      ]);
      expect(results.sort()).toEqual(["exists", "queued"]);
    }
    expect((await digestRows(store)).map((r) => r.digest_key)).toEqual(keys);
  });

  it("lists active digest subscriptions by their characters' codes, with the time each took its schedule", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    f.at(0);
    await store.subscribe(CHANNEL, "actor:APT40", "ana", { mode: "daily", at: "09:00" });
    f.at(HOUR);
    await store.subscribe(CHANNEL, "country:NZ", "ana");
    await store.subscribe("discord:G1/C2", "all", "bob", { mode: "weekly", at: "07:30" });
    await store.subscribe(CHANNEL, "actor:Zeta", "ana", { mode: "daily", at: "10:00" });
    await store.subscribe(CHANNEL, "actor:apt1", "ana", { mode: "daily", at: "10:00" });
    await store.subscribe(CHANNEL, "actor:Gone", "ana", { mode: "daily", at: "10:00" });
    await store.unsubscribe(CHANNEL, "actor:Gone", "ana");
    f.at(2 * HOUR);
    await store.subscribe(CHANNEL, "actor:APT40", "cy", { mode: "weekly", at: "09:00" });
    const subs = await digestsOf(store, f.clock).digestSubscriptions();
    expect(subs.map((s) => [s.channelRef, s.platform, s.tag, s.schedule, s.since - T0])).toEqual([
      ["discord:G1/C2", "discord", "all", { mode: "weekly", at: "07:30" }, HOUR],
      [CHANNEL, "slack", "actor:APT40", { mode: "weekly", at: "09:00" }, 2 * HOUR],
      [CHANNEL, "slack", "actor:Zeta", { mode: "daily", at: "10:00" }, HOUR],
      [CHANNEL, "slack", "actor:apt1", { mode: "daily", at: "10:00" }, HOUR],
    ]);
  });
});
