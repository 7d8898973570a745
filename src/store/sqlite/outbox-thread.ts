// What sending a thread reply reads: the alert it answers, what the new source adds, the thread's last reply.

import type Database from "better-sqlite3";
import type { TagKey } from "../../core/tags.js";
import type { ThreadParent } from "../outbox.js";

type Sql = (text: string) => Database.Statement;

/** The alert row `alertId` with its story and its event's count of other stories. */
export function threadParent(sql: Sql, alertId: number): ThreadParent | undefined {
  const row = sql(
    `SELECT d.status, d.message_id AS messageId, d.batched, d.story_rowid AS storyRowid, t.tags,
       (SELECT count(*) FROM stories e WHERE e.rowid = coalesce(s.event_rowid, s.rowid)
          OR e.event_rowid = coalesce(s.event_rowid, s.rowid)) - 1 AS sources
     FROM outbox d JOIN stories s ON s.rowid = d.story_rowid JOIN tag_lists t ON t.id = d.tag_list
     WHERE d.id = ?`,
  ).get(alertId) as (Omit<ThreadParent, "batched"> & { batched: number }) | undefined;
  return row && { ...row, batched: row.batched === 1, sources: Math.max(0, row.sources) };
}

/**
 * The story's tag keys (actors, countries, countries blamed) that no earlier story of its event had: what a
 * later source adds. Earlier is by rowid, the order stories were stored in.
 */
export function addedTags(sql: Sql, storyRowid: number): TagKey[] {
  const rows = sql(
    `SELECT t.kind, t.value, t.role FROM story_tags t JOIN stories s ON s.rowid = t.story_rowid
     WHERE t.story_rowid = ? AND NOT EXISTS (
       SELECT 1 FROM story_tags o JOIN stories e ON e.rowid = o.story_rowid
       WHERE (e.rowid = coalesce(s.event_rowid, s.rowid) OR e.event_rowid = coalesce(s.event_rowid, s.rowid))
         AND e.rowid < s.rowid AND o.kind = t.kind AND o.value = t.value AND o.role = t.role)
     ORDER BY t.kind, t.role, t.value`,
  ).all(storyRowid) as Array<{ kind: "actor" | "country"; value: string; role: string }>;
  return rows.map((r): TagKey => {
    if (r.kind === "actor") return `actor:${r.value}`;
    return r.role === "sponsor" ? `sponsor:${r.value.toUpperCase()}` : `country:${r.value.toUpperCase()}`;
  });
}

/**
 * When the thread of alert `alertId` in `channelRef` last got a reply at or after `since` (epoch ms), or null.
 * Read through the channel's sent rows from `since` on (an index range), not the whole outbox.
 */
export function lastThreadReplyAt(
  sql: Sql,
  alertId: number,
  channelRef: string,
  since: number,
): number | null {
  return sql(
    `SELECT max(sent_at) FROM outbox WHERE channel = (SELECT id FROM channels WHERE ref = ?) AND status = 'sent'
     AND sent_at >= ? AND kind = 'source' AND update_of = ?`,
  )
    .pluck()
    .get(channelRef, since, alertId) as number | null;
}
