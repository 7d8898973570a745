// The console's start: it follows every story until its user says otherwise, and greets with what it watches.

import { CONSOLE_CHANNEL } from "../chat/console/adapter.js";
import type { ChatAdapter } from "../chat/types.js";
import { plural } from "../commands/replies.js";
import type { Config } from "../config/schema.js";
import type { FeedStore } from "../core/feeds.js";
import type { SubscriptionStore } from "../store/subscriptions.js";
import type { StoryStore } from "../store/types.js";
import { storeWhere } from "./stores.js";

/** The console channel gets every story unless its user has changed that. */
export async function ensureConsoleSubscription(store: SubscriptionStore): Promise<void> {
  if ((await store.subscriptionHistory(CONSOLE_CHANNEL)).length === 0) {
    await store.subscribe(CONSOLE_CHANNEL, "all", "console");
  }
}

/** "cyberbrief is running": the folder, the feeds, how many stories, and the latest one. */
export async function greet(
  console: ChatAdapter,
  core: { store: StoryStore; feeds: FeedStore },
  config: Config,
): Promise<void> {
  const stats = await core.store.stats();
  const latest = (await core.store.latest(1)).stories[0];
  const feeds = (await core.feeds.listFeeds()).length;
  const sources = feeds > 0 ? ` and polling ${plural(feeds, "feed")}` : "";
  const text = [
    `Watching ${config.seedsDir} for new articles${sources}; ${plural(stats.stories, "story")} stored in ${storeWhere(config)}.`,
  ];
  if (latest) text.push(`Latest: [${latest.id}] ${latest.date} ${latest.title}`);
  await console.deliver(CONSOLE_CHANNEL, {
    kind: "notice",
    reply: {
      kind: "notice",
      headline: "cyberbrief is running",
      text,
      fields: [],
      stories: [],
      private: false,
    },
  });
}
