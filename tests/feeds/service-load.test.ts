// The poll schedule's pollDue with many due feeds (found by bench:feeds, 500 feeds on one host): every queued feed
// is polled and reported once, its caller learns of it without work growing with the queue, and waiting on the
// stop signal from every poll in flight raises no "possible memory leak" warning.

import { afterEach, describe, expect, it } from "vitest";
import type { Timers } from "../../src/core/clock.js";
import type { Feed } from "../../src/core/feeds.js";
import { emptyReport, type PollReport } from "../../src/feeds/poll-types.js";
import { type FeedService, startFeedService } from "../../src/feeds/service.js";
import { silentLogger } from "../../src/log/logger.js";
import { feedRecord } from "../helpers/feed-record.js";

const NOW = Date.parse("2024-07-09T12:00:00Z");
const inertTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

function dueFeed(id: number): Feed {
  const at = new Date(NOW - 60_000).toISOString();
  return feedRecord({
    id,
    url: `http://127.0.0.1:1/feeds/${id}.xml`,
    everyMs: 60_000,
    displayName: `Feed ${id}`,
    addedAt: at,
    nextPollAt: at,
  });
}

const report = (feedId: number): PollReport => emptyReport(feedId, "not-modified");

let service: FeedService | null = null;
afterEach(async () => {
  await service?.stop();
  service = null;
});

function start(
  feeds: Feed[],
  poll: (feed: Feed, signal?: AbortSignal) => Promise<PollReport>,
  parallel: number,
  listed: { count: number } = { count: 0 },
) {
  service = startFeedService({
    feeds: {
      listFeeds: async () => {
        listed.count++;
        return feeds;
      },
    },
    poller: { poll },
    clock: { now: () => NOW },
    timers: inertTimers,
    log: silentLogger(),
    parallel,
  });
  return service;
}

/** Resolves once `cond()` holds, checking on each turn of the event loop. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** How many times `.then` is called on a promise while `work` runs (Promise.race and .finally call it too). */
async function countThens<T>(work: () => Promise<T>): Promise<{ result: T; thens: number }> {
  const proto = Promise.prototype as { then: typeof Promise.prototype.then };
  const original = proto.then;
  let thens = 0;
  const counting = function (this: Promise<unknown>, ...args: Parameters<typeof original>) {
    thens++;
    return original.apply(this, args);
  } as typeof original;
  // biome-ignore lint/suspicious/noThenProperty: counting the calls of the built-in `then` is the point
  proto.then = counting;
  try {
    const result = await work();
    return { result, thens };
  } finally {
    // biome-ignore lint/suspicious/noThenProperty: restoring the built-in `then`
    proto.then = original;
  }
}

describe("pollDue with more due feeds than parallel slots", () => {
  it("polls and reports every feed once, with bookkeeping linear in the number of feeds", async () => {
    const N = 300;
    const feeds = Array.from({ length: N }, (_, i) => dueFeed(i + 1));
    const polled: number[] = [];
    const s = start(
      feeds,
      (feed) =>
        new Promise((resolve) =>
          setImmediate(() => {
            polled.push(feed.id);
            resolve(report(feed.id));
          }),
        ),
      2,
    );
    const { result, thens } = await countThens(() => s.pollDue());
    expect(result.map((r) => r.feedId)).toEqual(feeds.map((f) => f.id));
    expect(polled.sort((a, b) => a - b)).toEqual(feeds.map((f) => f.id));
    // A handful per feed. Waking every queued feed's caller whenever any poll ends took ~N²: 90,000 here.
    expect(thens).toBeLessThan(10 * N);
  });

  it("reads the feed list a few times per round, not once per poll (each read is every feed)", async () => {
    const N = 300;
    const feeds = Array.from({ length: N }, (_, i) => dueFeed(i + 1));
    const listed = { count: 0 };
    const s = start(feeds, async (feed) => report(feed.id), 4, listed);
    await s.pollDue();
    await until(() => s.inFlight() === 0);
    await new Promise((r) => setImmediate(r));
    // One read to find the due feeds and one when the round ends; reading after every poll was 300 reads of 300.
    expect(listed.count).toBeLessThanOrEqual(3);
  });

  it("a queued feed dropped by stop() fails its caller, and polls in flight end", async () => {
    const feeds = Array.from({ length: 5 }, (_, i) => dueFeed(i + 1));
    const release: Array<() => void> = [];
    const s = start(
      feeds,
      (feed) => new Promise((resolve) => release.push(() => resolve(report(feed.id)))),
      2,
    );
    const due = s.pollDue();
    await until(() => release.length === 2);
    const stopped = s.stop();
    for (const r of release) r();
    await expect(due).rejects.toThrow(/feed 3 was not polled/);
    await stopped;
    expect(release).toHaveLength(2);
  });
});

describe("the stop signal", () => {
  it("has every poll in flight wait on it without a MaxListenersExceededWarning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const feeds = Array.from({ length: 16 }, (_, i) => dueFeed(i + 1));
      let waiting = 0;
      const release: Array<() => void> = [];
      // Each poll waits on the signal, as the fetcher's host gate does while a feed of the same host is fetched.
      const s = start(
        feeds,
        (feed, signal) =>
          new Promise((resolve) => {
            const onAbort = () => undefined;
            signal?.addEventListener("abort", onAbort, { once: true });
            waiting++;
            release.push(() => {
              signal?.removeEventListener("abort", onAbort);
              resolve(report(feed.id));
            });
          }),
        16,
      );
      const due = s.pollDue();
      await until(() => waiting === 16);
      // Warnings are emitted on a later tick.
      await new Promise((r) => setImmediate(r));
      for (const r of release) r();
      await due;
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });
});
