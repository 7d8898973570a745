// The digest and insight seams of a contract store, for either backend: each built on the store's own database
// (SQLite's connection, PostgreSQL's pool) as main builds them, plus plain SQL for a test's setup and checks.

import type { Clock } from "../../../src/core/clock.js";
import type { DigestStore } from "../../../src/store/digests.js";
import type { InsightStore } from "../../../src/store/insights.js";
import { PgDigests } from "../../../src/store/pg/digests.js";
import { pgInsights } from "../../../src/store/pg/insights.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { SqliteDigests } from "../../../src/store/sqlite/digests.js";
import { sqliteInsights } from "../../../src/store/sqlite/insights.js";
import { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import type { ContractStore } from "./stores.js";

function backendOf(store: ContractStore): SqliteStoryStore | PgStoryStore {
  if (store instanceof SqliteStoryStore || store instanceof PgStoryStore) return store;
  throw new Error("not a contract store");
}

/** The store's DigestStore, reading `clock` for the rows it queues; `added` hears each queued row. */
export function digestsOf(
  store: ContractStore,
  clock: Clock,
  added: (n: number) => void = () => {},
): DigestStore {
  const s = backendOf(store);
  return s instanceof PgStoryStore
    ? new PgDigests(s.pool, clock, added)
    : new SqliteDigests(s.db, clock, added);
}

export function insightsOf(store: ContractStore): InsightStore {
  const s = backendOf(store);
  return s instanceof PgStoryStore ? pgInsights(s.pool) : sqliteInsights(s);
}

/** The rows of a query without parameters (the same text on both: no placeholders). */
export async function rowsOf<T>(store: ContractStore, sql: string): Promise<T[]> {
  const s = backendOf(store);
  if (s instanceof PgStoryStore) return (await s.pool.query(sql)).rows as T[];
  return s.db.prepare(sql).all() as T[];
}

/** A statement without parameters, for a test's setup. */
export async function run(store: ContractStore, sql: string): Promise<void> {
  const s = backendOf(store);
  if (s instanceof PgStoryStore) await s.pool.query(sql);
  else s.db.prepare(sql).run();
}

/** The rowid of a story by its path. */
export async function rowidOf(store: ContractStore, path: string): Promise<number> {
  const [row] = await rowsOf<{ rowid: number }>(
    store,
    `SELECT rowid FROM stories WHERE path = '${path.replace(/'/g, "''")}'`,
  );
  if (!row) throw new Error(`no story at ${path}`);
  return row.rowid;
}
