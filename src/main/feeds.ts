// Wires the feed source: the polite fetcher, the poller saving through the routed store port, the schedule, and
// health notices delivered to the channels that follow a feed.

import { readFileSync } from "node:fs";
import type { ChatAdapter } from "../chat/types.js";
import type { Config } from "../config/schema.js";
import type { Analysis, Article } from "../core/article.js";
import type { Reply } from "../core/cards.js";
import { type Clock, realTimers, systemClock, type Timers } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import type { FeedStore } from "../core/feeds.js";
import { packagePath } from "../core/paths.js";
import { parseChannelRef } from "../core/platform.js";
import type { IngestStore, SaveOutcome } from "../core/story.js";
import type { PoliteFetcher } from "../feeds/fetch.js";
import type { PollReport } from "../feeds/poll-types.js";
import type { FeedPoller } from "../feeds/poller.js";
import { type FeedService, startFeedService } from "../feeds/service.js";
import type { Logger } from "../log/logger.js";

export interface FeedWiring {
  feeds: FeedStore;
  store: IngestStore;
  analyse: (article: Article) => Promise<Analysis>;
  adapters: readonly ChatAdapter[];
  log: Logger;
  config: Config["feeds"];
  clock?: Clock;
  timers?: Timers;
  onStored?: (article: Article, outcome: SaveOutcome) => void;
  onPolled?: (result: PollReport["result"]) => void;
}

export interface RunningFeeds {
  service: FeedService;
  stop(): Promise<void>;
}

/** "cyberbrief/0.1.0 (+https://...)": who is asking, for the sites whose feeds we read. */
export function userAgent(): string {
  const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as {
    version?: string;
    homepage?: string;
  };
  const home = pkg.homepage ? ` (+${pkg.homepage})` : "";
  return `cyberbrief/${pkg.version ?? "0"}${home} feed reader`;
}

/** Notices go straight to each follower's adapter (best effort: a health notice is not a story to queue). */
function notifier(adapters: readonly ChatAdapter[], log: Logger) {
  return async (channelRefs: readonly string[], reply: Reply): Promise<void> => {
    for (const ref of channelRefs) {
      const adapter = adapters.find((a) => a.platform === parseChannelRef(ref)?.platform);
      if (!adapter?.isConnected()) {
        log.warn({ channel: ref, headline: reply.headline }, "no connected adapter for a feed notice");
        continue;
      }
      await adapter
        .deliver(ref, { kind: "notice", reply })
        .catch((err) => log.warn({ channel: ref, err: errorMessage(err) }, "feed notice not delivered"));
    }
  };
}

export function startFeeds(w: FeedWiring): RunningFeeds {
  const clock = w.clock ?? systemClock;
  const log = w.log.child({ module: "feeds" });
  // The fetcher (undici) and the poller (feed parsers, DOM, Readability) load on the first poll: a bot with no
  // feed never pays for them.
  let fetcher: PoliteFetcher | null = null;
  let loading: Promise<FeedPoller> | null = null;
  const loadPoller = async (): Promise<FeedPoller> => {
    const [{ PoliteFetcher }, { FeedPoller }] = await Promise.all([
      import("../feeds/fetch.js"),
      import("../feeds/poller.js"),
    ]);
    fetcher = new PoliteFetcher({
      userAgent: userAgent(),
      hostSpacingMs: w.config.hostSpacingMs,
      maxBytes: w.config.maxBytes,
      totalTimeoutMs: w.config.timeoutMs,
    });
    return new FeedPoller({
      feeds: w.feeds,
      store: w.store,
      fetcher,
      analyse: w.analyse,
      log,
      clock,
      notify: notifier(w.adapters, log),
      onStored: w.onStored,
    });
  };
  const poller: Pick<FeedPoller, "poll"> = {
    poll: async (feed, signal) => {
      loading ??= loadPoller();
      return (await loading).poll(feed, signal);
    },
  };
  const service = startFeedService({
    feeds: w.feeds,
    poller,
    clock,
    timers: w.timers ?? realTimers,
    log,
    onPoll: (_feed, { feedId, ...report }) => {
      w.onPolled?.(report.result);
      log[report.result !== "failed" && report.new + report.revised > 0 ? "info" : "debug"](
        { feed: feedId, ...report },
        "feed polled",
      );
    },
  });
  return {
    service,
    async stop() {
      await service.stop();
      await loading?.catch(() => undefined);
      await (fetcher as PoliteFetcher | null)?.close();
    },
  };
}
