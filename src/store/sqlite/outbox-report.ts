// What the outbox shows an operator (counts, failures) and the paused-platform record the running bot keeps.

import type Database from "better-sqlite3";
import type { Platform } from "../../core/platform.js";
import type { FailedDelivery, OutboxStats, PlatformState } from "../outbox.js";

type Sql = (text: string) => Database.Statement;

/** Whether the table (or, for `deliveries` since migration 11, the view) exists. */
function tableExists(db: Database.Database, name: string): boolean {
  return (
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?")
      .pluck()
      .get(name) === 1
  );
}

/** The most recent deliveries that gave up, with their reason (for `cyberbrief status`). */
export function outboxFailures(sql: Sql, limit: number): FailedDelivery[] {
  return sql(
    `SELECT d.channel_ref AS channelRef, s.id AS storyId, s.title AS title, d.attempts AS attempts,
            coalesce(d.last_error, '') AS error
     FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid
     WHERE d.status = 'failed' ORDER BY d.id DESC LIMIT ?`,
  ).all(limit) as FailedDelivery[];
}

export function outboxStats(db: Database.Database, sql: Sql): OutboxStats {
  const stats: OutboxStats = {
    pending: 0,
    sending: 0,
    failed: 0,
    sent: 0,
    cancelled: 0,
    oldestPendingAt: null,
    activeSubscriptions: 0,
    disabledSubscriptions: 0,
  };
  if (!tableExists(db, "deliveries")) return stats;
  // The rows themselves when the store has them as `outbox` (the view would join each row to count it).
  const rows = tableExists(db, "outbox") ? "outbox" : "deliveries";
  for (const r of sql(`SELECT status, count(*) AS n FROM ${rows} GROUP BY status`).all() as Array<{
    status: keyof OutboxStats;
    n: number;
  }>) {
    (stats as unknown as Record<string, number>)[r.status] = r.n;
  }
  stats.oldestPendingAt = sql(`SELECT min(created_at) FROM ${rows} WHERE status = 'pending'`).pluck().get() as
    | number
    | null;
  for (const r of sql("SELECT state, count(*) AS n FROM subscriptions GROUP BY state").all() as Array<{
    state: string;
    n: number;
  }>) {
    if (r.state === "active") stats.activeSubscriptions = r.n;
    if (r.state === "disabled") stats.disabledSubscriptions = r.n;
  }
  return stats;
}

/** The first refusal is kept: `since` says how long the platform has been paused. */
export function pausePlatform(sql: Sql, platform: Platform, reason: string, at: number): void {
  sql(
    `INSERT INTO platform_state (platform, state, reason, since) VALUES (?, 'paused', ?, ?)
     ON CONFLICT(platform) DO UPDATE SET reason = excluded.reason`,
  ).run(platform, reason, at);
}

export function resumePlatform(db: Database.Database, sql: Sql, platform: Platform): boolean {
  if (!tableExists(db, "platform_state")) return false;
  return sql("DELETE FROM platform_state WHERE platform = ?").run(platform).changes > 0;
}

export function platformStates(db: Database.Database, sql: Sql): PlatformState[] {
  if (!tableExists(db, "platform_state")) return [];
  return sql(
    "SELECT platform, state, reason, since FROM platform_state ORDER BY platform",
  ).all() as PlatformState[];
}
