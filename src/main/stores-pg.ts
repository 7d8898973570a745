// The PostgreSQL side of store selection (loaded only with CYBERBRIEF_DATABASE_URL, so SQLite users never load pg):
// the story store with its outbox, digests and insights, and this replica's part in leadership and fencing.

import { existsSync } from "node:fs";
import { systemClock } from "../core/clock.js";
import { PgDigests } from "../store/pg/digests.js";
import { pgInsights } from "../store/pg/insights.js";
import { type Fence, followerFence, leaderStates } from "../store/pg/replica.js";
import { PgStoryStore } from "../store/pg/store.js";
import type { Stores } from "./stores.js";

export async function openPgStores(url: string, where: string, holder: string): Promise<Stores> {
  const store = await PgStoryStore.open(url, { fileExists: existsSync, holder });
  const outbox = store.outbox;
  // A digest it queues wakes this replica's dispatcher, as routed alerts do.
  const digests = new PgDigests(store.pool, systemClock, (n) => outbox.announce(n));
  // Until this replica leads the scheduler it writes nothing as scheduler (main/scheduler.ts sets each term's).
  const setFence = (fence: Fence) => {
    store.fence = fence;
    digests.fence = fence;
  };
  setFence(followerFence);
  return {
    store,
    subscriptions: store,
    feeds: store,
    outbox, // PgOutbox implements the alerts' Outbox port structurally
    digests,
    insights: pgInsights(store.pool),
    health: () => store.health(),
    pg: { url, where, holder, setFence, leaders: () => leaderStates(store.pool) },
    close: () => store.close(),
  };
}
