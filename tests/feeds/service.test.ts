// The feed schedule on virtual time: due feeds are polled, a feed added meanwhile (CLI or chat) is picked up at the
// next look, feeds are polled side by side up to the limit, a slow feed does not hold the others, stop is clean.

import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Feed } from "../../src/core/feeds.js";
import { emptyReport, type PollReport } from "../../src/feeds/poll-types.js";
import { startFeedService } from "../../src/feeds/service.js";
import { silentLogger } from "../../src/log/logger.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { tempDir } from "../helpers/tmp.js";
import { VirtualTime } from "../helpers/virtual-time.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * The real store and schedule; polls are recorded and answered by the test (`hold` keeps a feed's poll open),
 * and each records its next poll time in the store as the poller does.
 */
async function bed(parallel = 16) {
  const time = new VirtualTime();
  const store = new SqliteStoryStore(join(tempDir(), "cb.db"), { clock: time });
  const polls: Array<{ id: number; at: number }> = [];
  const held = new Map<number, () => void>();
  const hold = new Set<number>();
  const poller = {
    async poll(feed: Feed): Promise<PollReport> {
      polls.push({ id: feed.id, at: time.now() });
      if (hold.has(feed.id)) await new Promise<void>((resolve) => held.set(feed.id, resolve));
      await store.updateFeed(feed.id, { nextPollAt: new Date(time.now() + feed.everyMs).toISOString() });
      return emptyReport(feed.id, "ok");
    },
  };
  const service = startFeedService({
    feeds: store,
    poller,
    clock: time,
    timers: time,
    log: silentLogger(),
    lookEveryMs: 5000,
    parallel,
  });
  cleanups.push(async () => {
    for (const release of held.values()) release();
    await service.stop();
    await store.close();
  });
  const add = async (n: number, everyMs = 60_000) =>
    (
      await store.addFeed(
        { url: `https://f${n}.example/feed`, name: null, everyMs, fullText: false },
        "cli",
        "cli",
      )
    ).feed;
  return { time, store, service, polls, held, hold, add };
}

describe("the feed schedule", () => {
  it("polls nothing while there are no feeds, then picks up a feed added meanwhile at the next look", async () => {
    const b = await bed();
    await b.time.runUntil(() => false, 12_000).catch(() => undefined);
    expect(b.polls).toEqual([]);
    const start = b.time.now();
    const feed = await b.add(1);
    await b.time.runUntil(() => b.polls.length === 1, 10_000, "the first poll");
    expect(b.polls[0]?.id).toBe(feed.id);
    expect(b.polls[0]?.at ?? 0).toBeLessThanOrEqual(start + 5000);
  });

  it("polls each feed again when its interval has passed, each at its own pace", async () => {
    const b = await bed();
    const fast = await b.add(1, 10_000);
    const slow = await b.add(2, 30_000);
    await b.time.runUntil(
      () => b.polls.filter((p) => p.id === slow.id).length === 3,
      120_000,
      "three slow polls",
    );
    const at = (id: number) => b.polls.filter((p) => p.id === id).map((p) => p.at);
    const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - (xs[i] as number));
    expect(gaps(at(slow.id))).toEqual([30_000, 30_000]);
    expect(gaps(at(fast.id)).every((g) => g === 10_000)).toBe(true);
  });

  it("a feed whose poll hangs does not hold the others, and is not polled twice at once", async () => {
    const b = await bed();
    const stuck = await b.add(1, 10_000);
    const other = await b.add(2, 10_000);
    b.hold.add(stuck.id);
    await b.time.runUntil(
      () => b.polls.filter((p) => p.id === other.id).length === 4,
      60_000,
      "other's polls",
    );
    expect(b.polls.filter((p) => p.id === stuck.id)).toHaveLength(1);
    expect(b.service.inFlight()).toBe(1);
    b.held.get(stuck.id)?.();
    await b.time.runUntil(
      () => b.polls.filter((p) => p.id === stuck.id).length === 2,
      60_000,
      "stuck's next poll",
    );
  });

  it("polls at most `parallel` feeds at once, and the waiting ones set no timer of their own", async () => {
    const b = await bed(2);
    for (let n = 1; n <= 5; n++) b.hold.add((await b.add(n)).id);
    await b.time.runUntil(() => b.polls.length === 2, 10_000, "two polls");
    await b.time.runUntil(() => false, 10_000).catch(() => undefined);
    expect(b.polls).toHaveLength(2);
    for (const release of [...b.held.values()]) release();
    await b.time.runUntil(() => b.polls.length === 4, 10_000, "the next two");
  });
});
