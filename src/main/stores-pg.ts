// The PostgreSQL side of store selection (loaded only with CYBERBRIEF_DATABASE_URL, so SQLite users never load pg):
// the story store with its outbox, digests and insights, and this replica's part in leadership and fencing.

import { existsSync } from "node:fs";
import type { DigestStore } from "../store/digests.js";
import type { InsightStore } from "../store/insights.js";
import { PgOutbox } from "../store/pg/outbox.js";
import { type Fence, followerFence, leaderStates } from "../store/pg/replica.js";
import { PgStoryStore } from "../store/pg/store.js";
import type { StoryStore } from "../store/types.js";
import type { Stores } from "./stores.js";

// TEMPORARY until wt-pgsave/wt-pgdig are merged: digests and insights come from those branches.
const noDigests: DigestStore = { digestSubscriptions: async () => [], queueDigest: async () => "empty" };
const noInsights = new Proxy({} as InsightStore, {
  get: () => async () => {
    throw new Error("insights on PostgreSQL come with wt-pgdig");
  },
});

export async function openPgStores(url: string, where: string, holder: string): Promise<Stores> {
  const store = await PgStoryStore.open(url, { fileExists: existsSync });
  const outbox = new PgOutbox(store.pool, { holder });
  const digests = noDigests;
  // Until this replica leads the scheduler, it writes nothing as scheduler (main/scheduler.ts sets the fence).
  const setFence = (fence: Fence) => {
    store.fence = fence;
  };
  setFence(followerFence);
  return {
    store: store as unknown as StoryStore,
    subscriptions: store,
    feeds: store,
    outbox: outbox as never,
    digests,
    insights: noInsights,
    health: () => store.health(),
    pg: { url, where, holder, setFence, leaders: () => leaderStates(store.pool) },
    close: () => store.close(),
  };
}
