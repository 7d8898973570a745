// Feeds as the store keeps them, and what the feed poller (src/feeds/), the CLI and the commands need of a store.
// They live here because feeds/ and store/ sit on the same level and neither imports the other.

/** Who added a feed: the operator's CLI, `config/feeds.yaml`, or a channel manager in chat. */
export type FeedOrigin = "cli" | "config" | "chat";

/** What adding a feed says. */
export interface FeedSpec {
  url: string;
  /** The name shown as the source of its stories; null: the feed's own title, else its host. */
  name: string | null;
  /** How often to poll, in milliseconds (default 15 minutes). */
  everyMs: number;
  /** Fetch the linked page when an item's text is only a teaser. */
  fullText: boolean;
}

/** What polling learns and keeps about a feed: its health and its conditional-GET validators. */
export interface FeedState {
  /** The validators of the last 200 answer (sent back as If-None-Match / If-Modified-Since). */
  etag: string | null;
  lastModified: string | null;
  /** ISO times. */
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  /** The last failure, one line, with when it happened. Kept after a recovery (health shows it). */
  lastError: string | null;
  lastErrorAt: string | null;
  /** The first failure of the current run of failures; null while healthy. */
  failingSince: string | null;
  /** Failures in a row (0 while healthy): the backoff grows with it. */
  failures: number;
  /** When to poll next (ISO). */
  nextPollAt: string;
  /** Items read from the feed in all (new, revised and already known). */
  itemsSeen: number;
  /** Set by the first successful poll: later polls alert what is new. */
  baselined: boolean;
  /** When the "feed is failing" notice went to its followers; cleared when a notice of recovery goes. */
  unhealthyNotifiedAt: string | null;
  /** The feed's own title, as its last successful poll said. */
  title: string | null;
  /** sha256 of the last 200 answer's body: the same bytes again (a server without 304) are not parsed again. */
  bodyHash: string | null;
}

export interface Feed extends FeedSpec, FeedState {
  /** Small number shown in lists; `feed remove 3` takes it. */
  id: number;
  /** The name to show: the spec's name, else the feed's title, else the URL's host. */
  displayName: string;
  origin: FeedOrigin;
  /** "cli", "config", or the channel reference that added it in chat. */
  addedBy: string;
  /** ISO time the feed was added: the first poll alerts nothing older (the baseline). */
  addedAt: string;
  /** Channels told when the feed fails for a day and when it recovers: those that added it in chat. */
  followers: string[];
}

/** Feed management and poll bookkeeping; `SqliteStoryStore` implements it. */
export interface FeedStore {
  /**
   * Add a feed; the same URL (scheme and host lower-cased, fragment removed) gives the existing feed back with
   * `created: false`, and a chat origin adds the channel to its followers.
   */
  addFeed(spec: FeedSpec, origin: FeedOrigin, addedBy: string): Promise<{ feed: Feed; created: boolean }>;
  listFeeds(): Promise<Feed[]>;
  /** By id ("3") or by URL (the same normalisation as addFeed). */
  getFeed(idOrUrl: string): Promise<Feed | undefined>;
  /** Removes the feed and its state; its stories stay. False when there was no such feed. */
  removeFeed(id: number): Promise<boolean>;
  /**
   * A channel stops following a feed (`/cyber feed remove` in chat); a chat-added feed left with no follower is
   * removed in the same transaction. `unfollowed` is false when the channel did not follow it.
   */
  unfollowFeed(id: number, channelRef: string): Promise<{ unfollowed: boolean; removed: boolean }>;
  /** Record what a poll learned. */
  updateFeed(id: number, state: Partial<FeedState>): Promise<void>;
  /**
   * Make the `config` feeds match `config/feeds.yaml`: add the new ones, update changed name, interval or
   * full-text, remove those no longer listed. Feeds from the CLI or chat are left alone.
   */
  syncConfigFeeds(specs: FeedSpec[]): Promise<{ added: number; updated: number; removed: number }>;
}

/** Checks a URL typed in chat before it becomes a feed: null when allowed, else the reason, one line. */
export type UrlCheck = (url: string) => Promise<string | null>;

/** The default poll interval. */
export const DEFAULT_FEED_EVERY_MS = 15 * 60_000;

/** From this many failed polls in a row a feed is shown as unhealthy (a single failure is a blip, retried). */
export const UNHEALTHY_AFTER = 3;
