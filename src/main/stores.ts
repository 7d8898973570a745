// Which store the configuration selects: the SQLite file by default, PostgreSQL with CYBERBRIEF_DATABASE_URL. Each
// caller gets the same ports either way; PostgreSQL adds what several replicas need (`pg`).

import { existsSync } from "node:fs";
import { hostname } from "node:os";
import type { Outbox } from "../alerts/outbox.js";
import type { Config } from "../config/schema.js";
import type { FeedStore } from "../core/feeds.js";
import type { DigestStore } from "../store/digests.js";
import type { InsightStore } from "../store/insights.js";
import type { Fence, PgReplica } from "../store/pg/replica.js";
import { sqliteInsights } from "../store/sqlite/insights.js";
import { SqliteStoryStore } from "../store/sqlite/store.js";
import type { SubscriptionStore } from "../store/subscriptions.js";
import type { StoreHealth, StoryStore } from "../store/types.js";

/** The store's ports, whichever database holds them. */
export interface Stores {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  feeds: FeedStore;
  outbox: Outbox;
  digests: DigestStore;
  insights: InsightStore;
  health(): Promise<StoreHealth>;
  /** On PostgreSQL: the replica's name, leadership and the fence of its scheduler writes. */
  pg: PgParts | null;
  close(): Promise<void>;
}

export interface PgParts extends PgReplica {
  /** The database's URL (with its password: never log it; `where` is for people). */
  url: string;
  /** host:port/database, no user or password. */
  where: string;
  /** Sets the check every scheduler write makes in its transaction (ingest saves, feed state, digests). */
  setFence(fence: Fence): void;
}

/** This replica's name on its claims and leadership: host and process id. */
export const replicaName = (): string => `${hostname()}:${process.pid}`;

/** Where the data lives, for people: the SQLite file, or PostgreSQL's host and database (never the password). */
export function storeWhere(config: Pick<Config, "dbPath" | "databaseUrl">): string {
  if (!config.databaseUrl) return config.dbPath;
  const u = new URL(config.databaseUrl);
  return `PostgreSQL ${u.host || "(local socket)"}${u.pathname}`;
}

export interface OpenOptions {
  /** SQLite only: open the file read-only (no migration), for commands that only read beside a bot. */
  readonly?: boolean;
}

/** Opens the configured store; PostgreSQL's schema is brought up to date on open (run-twice safe). */
export async function openStores(config: Config, opts: OpenOptions = {}): Promise<Stores> {
  if (config.databaseUrl) {
    const { openPgStores } = await import("./stores-pg.js");
    return openPgStores(config.databaseUrl, storeWhere(config), replicaName());
  }
  const store = new SqliteStoryStore(config.dbPath, {
    fileExists: existsSync,
    readonly: opts.readonly === true && config.dbPath !== ":memory:",
  });
  return {
    store,
    subscriptions: store,
    feeds: store,
    outbox: store.outbox, // SqliteOutbox implements the alerts' Outbox port structurally
    digests: store.digests,
    insights: sqliteInsights(store),
    health: () => store.health(),
    pg: null,
    close: () => store.close(),
  };
}
