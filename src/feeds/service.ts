// Keeps feeds polled: wakes when the next feed is due (and every few seconds to see feeds added meanwhile from the
// CLI or chat), polls what is due without waiting for slow feeds, and stops cleanly. No feed, no connection.

import { setMaxListeners } from "node:events";
import type { Clock, Timers } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import type { Feed, FeedStore } from "../core/feeds.js";
import type { Logger } from "../log/logger.js";
import type { PollReport } from "./poll-types.js";
import type { FeedPoller } from "./poller.js";

export interface FeedServiceOptions {
  feeds: Pick<FeedStore, "listFeeds">;
  poller: Pick<FeedPoller, "poll">;
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** Look at the store at least this often for feeds added or changed meanwhile (default 5 s). */
  lookEveryMs?: number;
  /** At most this many feeds polled at once (the fetcher also keeps one request per host). Default 16. */
  parallel?: number;
  onPoll?: (feed: Feed, report: PollReport) => void;
}

export interface FeedService {
  /** Poll every due feed now; resolves when those polls are done. */
  pollDue(): Promise<PollReport[]>;
  /** How many feeds are being polled right now. */
  inFlight(): number;
  stop(): Promise<void>;
}

export function startFeedService(opts: FeedServiceOptions): FeedService {
  const lookEvery = opts.lookEveryMs ?? 5_000;
  const parallel = opts.parallel ?? 16;
  const running = new Map<number, Promise<PollReport>>();
  const waiting: Feed[] = [];
  /** How each queued feed's caller learns of its poll once it starts (null: dropped by stop()). */
  const starts = new Map<number, (job: Promise<PollReport> | null) => void>();
  const stopping = new AbortController();
  // Every poll in flight may wait on the stop signal (for its host's turn, or the spacing): that is not a leak.
  setMaxListeners(Math.max(10, 2 * parallel), stopping.signal);
  let timer: unknown = null;

  const launch = (): void => {
    while (running.size < parallel && waiting.length > 0 && !stopping.signal.aborted) {
      const feed = waiting.shift() as Feed;
      const job = opts.poller
        .poll(feed, stopping.signal)
        .then((report) => {
          opts.onPoll?.(feed, report);
          return report;
        })
        .finally(() => {
          running.delete(feed.id);
          launch();
          // The polled feeds' next times have just changed: once the last poll of a round ends, wake for the
          // earliest rather than at the next look (once per round, not per poll: a round may hold 500 feeds).
          if (!stopping.signal.aborted && running.size === 0 && waiting.length === 0) {
            opts.feeds.listFeeds().then(schedule, () => undefined);
          }
        });
      running.set(feed.id, job);
      starts.get(feed.id)?.(job);
      starts.delete(feed.id);
    }
  };

  /** Queue the due feeds not already polling or queued; returns their polls. */
  const pollDue = async (): Promise<PollReport[]> => {
    const now = opts.clock.now();
    const feeds = await opts.feeds.listFeeds();
    if (stopping.signal.aborted) return [];
    const queued = new Set(waiting.map((f) => f.id));
    const due = feeds
      .filter((f) => Date.parse(f.nextPollAt) <= now && !running.has(f.id) && !queued.has(f.id))
      .sort((a, b) => Date.parse(a.nextPollAt) - Date.parse(b.nextPollAt));
    waiting.push(...due);
    // Each queued feed's promise is settled once, when its poll starts (not by re-checking whenever any poll ends).
    const mine = due.map(
      (f) =>
        new Promise<PollReport>((resolve, reject) =>
          starts.set(f.id, (job) => (job ? resolve(job) : reject(new Error(`feed ${f.id} was not polled`)))),
        ),
    );
    launch();
    schedule(feeds);
    return Promise.all(mine);
  };

  const schedule = (feeds: Feed[]): void => {
    if (stopping.signal.aborted) return;
    if (timer !== null) opts.timers.clearTimeout(timer);
    const now = opts.clock.now();
    let next = now + lookEvery;
    const queued = new Set(waiting.map((w) => w.id));
    for (const f of feeds) {
      // A feed polling now or waiting for a free slot starts without a timer (a timer for it would spin).
      if (running.has(f.id) || queued.has(f.id)) continue;
      next = Math.min(next, Math.max(now, Date.parse(f.nextPollAt)));
    }
    timer = opts.timers.setTimeout(tick, Math.max(0, next - now));
  };

  const tick = (): void => {
    timer = null;
    pollDue().catch((err) => {
      if (stopping.signal.aborted) return; // feeds still queued when stop() came
      opts.log.error({ err: errorMessage(err) }, "feed polling failed; trying again shortly");
      if (timer === null && !stopping.signal.aborted) timer = opts.timers.setTimeout(tick, lookEvery);
    });
  };

  timer = opts.timers.setTimeout(tick, 0);
  return {
    pollDue,
    inFlight: () => running.size,
    async stop() {
      stopping.abort();
      if (timer !== null) opts.timers.clearTimeout(timer);
      timer = null;
      waiting.length = 0;
      for (const drop of starts.values()) drop(null);
      starts.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}
