// The composition root: builds every stage from the config and wires them; nothing else creates dependencies.
// The store is SQLite's file, or PostgreSQL with CYBERBRIEF_DATABASE_URL (main/stores.ts); the stages are built in
// main/core.ts, and `cyberbrief run` wires them to the chat adapters in main/run.ts.

import type { Config } from "./config/schema.js";
import type { FeedStore } from "./core/feeds.js";
import { openStores } from "./main/stores.js";
import type { StoryStore } from "./store/types.js";

export {
  buildCore,
  type CommandCore,
  type Core,
  type CoreHooks,
  openCommandCore,
} from "./main/core.js";
export { type RunningBot, type RunOptions, runBot } from "./main/run.js";
export { storeWhere } from "./main/stores.js";

/**
 * The feeds alone, for `cyberbrief feed`: no gazetteer, no ingest, no run lock (a short write beside a running
 * bot is safe in WAL mode or on PostgreSQL; its poller reads new feeds from the store). `sync`:
 * config/feeds.yaml first.
 */
export async function openFeeds(
  config: Config,
  opts: { sync: boolean },
): Promise<{ feeds: FeedStore; close(): Promise<void> }> {
  const specs = opts.sync ? (await import("./config/feeds.js")).readFeedsFile(config.feedsFile) : null;
  const stores = await openStores(config);
  try {
    if (specs) await stores.feeds.syncConfigFeeds(specs);
  } catch (err) {
    await stores.close();
    throw err;
  }
  return { feeds: stores.feeds, close: () => stores.close() };
}

/**
 * The store for commands that only read and stream (`cyberbrief export`): SQLite opened read-only (no migration,
 * no lock, no gazetteer), so it works beside a running bot and never writes. The file must exist.
 */
export async function openStoryReader(
  config: Config,
): Promise<{ store: StoryStore; close(): Promise<void> }> {
  const stores = await openStores(config, { readonly: true });
  return { store: stores.store, close: () => stores.close() };
}
