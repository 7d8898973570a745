// What one feed poll needs (`PollerDeps`, the `Fetcher` it uses) and what it reports (`PollReport`).

import type { Analysis, Article } from "../core/article.js";
import type { Reply } from "../core/cards.js";
import type { Clock } from "../core/clock.js";
import type { FeedStore } from "../core/feeds.js";
import type { IngestStore, SaveOutcome } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { FetchRequest, FetchResult } from "./types.js";

/** What the poller needs of the fetcher (src/feeds/fetch.ts PoliteFetcher). */
export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
}

export interface PollerDeps {
  feeds: Pick<FeedStore, "updateFeed">;
  /** The routed save port main.ts builds (alerts are queued inside the save). */
  store: Pick<IngestStore, "fileRecords" | "saveArticles">;
  fetcher: Fetcher;
  analyse: (article: Article) => Promise<Analysis>;
  log: Logger;
  clock: Clock;
  /** In [0, 1): the backoff's jitter. */
  random?: () => number;
  /** Tell channels about a feed's health (a day of failures, then its recovery). */
  notify?: (channelRefs: readonly string[], reply: Reply) => Promise<void>;
  onStored?: (article: Article, outcome: SaveOutcome) => void;
}

/** Items read from one answer at most (real feeds list 10 to 100). */
export const MAX_ITEMS_PER_POLL = 500;

export interface PollReport {
  feedId: number;
  /** "not-modified": a 304, or the very same body as the last 200 (nothing parsed). */
  result: "ok" | "not-modified" | "failed";
  /** Items in the answer (after removing repeats inside it). */
  items: number;
  new: number;
  revised: number;
  unchanged: number;
  duplicate: number;
  /** New items stored without an alert: older than the feed on its first poll (the baseline). */
  quiet: number;
  error?: string;
}

/** A report with nothing counted yet. */
export const emptyReport = (feedId: number, result: PollReport["result"]): PollReport => ({
  feedId,
  result,
  items: 0,
  new: 0,
  revised: 0,
  unchanged: 0,
  duplicate: 0,
  quiet: 0,
});
