// The PostgreSQL outbox with several replicas: each due row is claimed by exactly one of them (FOR UPDATE SKIP
// LOCKED), a dead replica's claims lapse and are taken by another, and only the claimant can settle a row.

import { afterEach, expect, it } from "vitest";
import type { Clock } from "../../../src/core/clock.js";
import { type PgNewDelivery, PgOutbox } from "../../../src/store/pg/outbox.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";

const stores: PgStoryStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const LEASE = 60_000;

/** A store with one saved story, and a clock the test moves. */
async function setup() {
  const now = { t: 1_700_000_000_000 };
  const clock: Clock = { now: () => now.t };
  const store = await PgStoryStore.open(await freshDatabase(), { clock, max: 6 });
  stores.push(store);
  const saved = await store.saveArticle(article("/a.txt", "Alpha body."), analysisOf({ summary: "s" }), {
    path: "/a.txt",
    size: 10,
    mtimeMs: 1,
  });
  const story = (
    await store.pool.query<{ rowid: number }>("SELECT rowid FROM stories WHERE id = $1", [saved.storyId])
  ).rows[0]?.rowid as number;
  const replica = (holder: string) => new PgOutbox(store.pool, { holder, leaseMs: LEASE, clock });
  return { store, story, replica, now };
}

const rowsFor = (story: number, n: number): PgNewDelivery[] =>
  Array.from({ length: n }, (_, i) => ({
    storyRowid: story,
    channelRef: `discord:1/${100 + i}`,
    platform: "discord" as const,
    tags: "actor:APT40",
  }));

describePg("outbox with replicas", () => {
  it("queues one alert per story and channel", async () => {
    const { story, replica, now } = await setup();
    const a = replica("a");
    expect(await a.queue(rowsFor(story, 3), now.t)).toBe(3);
    expect(await a.queue(rowsFor(story, 4), now.t)).toBe(1);
    expect((await a.stats()).pending).toBe(4);
  });

  it("three replicas claiming the same due rows at once each get different rows, and all of them are taken", async () => {
    const { story, replica, now } = await setup();
    const rs = ["a", "b", "c"].map(replica);
    await rs[0]?.queue(rowsFor(story, 60), now.t);
    const due = await rs[0]?.due("discord", now.t, 100);
    const ids = (due ?? []).map((d) => d.id);
    expect(ids).toHaveLength(60);
    // Each replica asks for every row, in another order: what one holds locked the others skip.
    const claims = await Promise.all(
      rs.map((r, i) =>
        r.claim(
          i === 1 ? [...ids].reverse() : i === 2 ? [...ids.slice(30), ...ids.slice(0, 30)] : ids,
          now.t,
        ),
      ),
    );
    const all = claims.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((x, y) => x - y)).toEqual(ids);
    expect((await rs[0]?.stats())?.sending).toBe(60);
  });

  it("a dead replica's claims lapse after the lease and another replica sends them; the dead one's late word is ignored", async () => {
    const { story, replica, now } = await setup();
    const [a, b] = [replica("a"), replica("b")];
    await a.queue(rowsFor(story, 2), now.t);
    const ids = (await a.due("discord", now.t, 10)).map((d) => d.id);
    expect(await a.claim(ids, now.t)).toEqual(ids);
    // b sees nothing due while a's lease runs, then everything once it has lapsed.
    expect(await b.due("discord", now.t + 1_000, 10)).toEqual([]);
    expect(await b.nextDueAt(["discord"])).toBe(now.t + LEASE);
    now.t += LEASE + 1;
    const again = await b.due("discord", now.t, 10);
    expect(again.map((d) => [d.id, d.attempts])).toEqual(ids.map((id) => [id, 1]));
    expect(await b.claim(ids, now.t)).toEqual(ids);
    await a.markSent(ids, "from-a", now.t); // a wakes up: its claim is gone, so nothing changes
    expect((await a.stats()).sending).toBe(2);
    await b.markSent(ids, "from-b", now.t);
    const sent = await b.editTarget(ids[0] as number);
    expect(sent).toEqual({ status: "sent", messageId: "from-b", batched: false });
  });

  it("at start-up a replica takes back its own claims and lapsed ones, never a running replica's", async () => {
    const { story, replica, now } = await setup();
    const [a, b] = [replica("a"), replica("b")];
    await a.queue(rowsFor(story, 4), now.t);
    const ids = (await a.due("discord", now.t, 10)).map((d) => d.id);
    await a.claim(ids.slice(0, 2), now.t);
    await b.claim(ids.slice(2), now.t);
    // a restarts (same name): its two claims come back; b's stay b's.
    expect(await replica("a").recoverInFlight()).toBe(2);
    expect((await a.stats()).sending).toBe(2);
    now.t += LEASE + 1;
    expect(await replica("c").recoverInFlight()).toBe(2);
    expect((await a.stats()).pending).toBe(4);
  });

  it("retry, release and failure are the claimant's; disabling a channel audits and cancels what waits", async () => {
    const { store, story, replica, now } = await setup();
    const a = replica("a");
    await store.subscribe("discord:1/100", "actor:APT40", "u1");
    await a.queue(rowsFor(story, 1), now.t);
    const [row] = await a.due("discord", now.t, 10);
    const id = row?.id as number;
    await a.claim([id], now.t);
    await replica("b").retry([id], now.t + 5, "not b's");
    expect((await a.stats()).sending).toBe(1);
    await a.retry([id], now.t + 5, "timeout", true);
    expect((await a.due("discord", now.t + 5, 10)).map((d) => [d.id, d.attempts])).toEqual([[id, 0]]);
    await a.claim([id], now.t + 5);
    const off = await a.disableChannel("discord:1/100", "Missing Access", [id]);
    expect(off).toEqual({ tags: ["actor:APT40"], cancelled: 0 });
    expect((await a.failures(5)).map((f) => [f.channelRef, f.error])).toEqual([
      ["discord:1/100", "Missing Access"],
    ]);
    const history = await store.subscriptionHistory("discord:1/100");
    expect(history.map((h) => [h.action, h.user, h.reason])).toEqual([
      ["subscribe", "u1", null],
      ["disable", "cyberbrief", "Missing Access"],
    ]);
  });

  it("keeps a paused platform until it connects again", async () => {
    const { replica, now } = await setup();
    const a = replica("a");
    await a.pausePlatform("slack", "invalid_auth", now.t);
    await a.pausePlatform("slack", "token_revoked", now.t + 1);
    expect(await replica("b").platformStates()).toEqual([
      { platform: "slack", state: "paused", reason: "token_revoked", since: now.t },
    ]);
    expect(await a.resumePlatform("slack")).toBe(true);
    expect(await a.resumePlatform("slack")).toBe(false);
  });
});
