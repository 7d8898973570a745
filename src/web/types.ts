// What the web pages read (the store's seams, names and charts) and how they are configured.

import type { MalwareNames } from "../commands/malware-names.js";
import type { NameResolver } from "../commands/resolve.js";
import type { Clock } from "../core/clock.js";
import type { FeedStore } from "../core/feeds.js";
import type { Logger } from "../log/logger.js";
import type { InsightStore } from "../store/insights.js";
import type { SubscriptionStore } from "../store/subscriptions.js";
import type { StoryStore } from "../store/types.js";

export interface WebDeps {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  feeds: FeedStore;
  insights: InsightStore;
  names: NameResolver;
  /** Malware aliases (the package's data/malware.json by default). */
  malware?: MalwareNames;
  /** CYBERBRIEF_WEB_TOKEN; absent only when the server listens on loopback (config checks that). */
  token?: string;
  log: Logger;
  clock?: Clock;
  /** CYBERBRIEF_TZ, for which digest a story goes in. */
  zone?: string;
}

/** Stories per page of the event list. */
export const PAGE_SIZE = 25;
