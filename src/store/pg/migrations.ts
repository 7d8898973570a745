// Versioned schema migrations for PostgreSQL, applied in order, one transaction each; safe to run twice, and
// safe when several replicas start at once (a transaction advisory lock lets one apply each version).

import type pg from "pg";
import { EVENTS_SCHEMA } from "./events.js";
import { LEADER_SCHEMA } from "./leader.js";
import { inTransaction } from "./open.js";
import { OUTBOX_SCHEMA } from "./outbox-schema.js";
import { FEEDS_SCHEMA, STORIES_SCHEMA, SUBSCRIPTIONS_SCHEMA } from "./schema.js";

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const pgMigrations: PgMigration[] = [
  {
    version: 1,
    name: "stories, revisions, tags and their counts, files, full-text search",
    sql: STORIES_SCHEMA,
  },
  { version: 2, name: "subscriptions and their audit trail", sql: SUBSCRIPTIONS_SCHEMA },
  { version: 3, name: "feeds and their followers", sql: FEEDS_SCHEMA },
  {
    version: 4,
    name: "the index of events: stories' sketch keys, events' first stories by tag",
    sql: EVENTS_SCHEMA,
  },
  // Coordination of replicas takes versions from 10, so the store's own tables keep counting up from 3.
  { version: 10, name: "scheduler leadership terms", sql: LEADER_SCHEMA },
  { version: 11, name: "the delivery outbox with claims and leases, paused platforms", sql: OUTBOX_SCHEMA },
];

/** The advisory lock key migrations take ("cybm" in ASCII): replicas starting together apply each version once. */
export const MIGRATION_LOCK = 0x6379626d;

/** Apply every migration newer than the database; returns the versions applied. */
export async function migratePg(pool: pg.Pool, list: PgMigration[] = pgMigrations): Promise<number[]> {
  await inTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
  });
  const applied: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    const done = await inTransaction(pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      const found = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (found.rowCount) return true;
      await tx.query(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      return false;
    });
    if (!done) applied.push(m.version);
  }
  return applied;
}
