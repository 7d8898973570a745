// Contract: queueing digests, the same on SQLite and PostgreSQL: one row per key (events most-reported first),
// nothing for an empty period, one row when two connections (PostgreSQL: two pools, as two replicas) race for a
// key; and the active digest subscriptions.

import { expect, it } from "vitest";
import type { DigestPayload } from "../../../src/store/digests.js";
import {
  apt40,
  CHANNEL,
  digestRows,
  fixture,
  gather,
  HOUR,
  period,
  saveAt,
  T0,
  untagged,
} from "./digest-fixtures.js";
import { digestsOf, run } from "./seams.js";
import { contract } from "./stores.js";

contract("digest queueing, digest subscriptions", ({ open }) => {
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
