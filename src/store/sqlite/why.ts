// What `/cyber why` reads: a story's cyber signal and sources, and its outbox rows in one channel.

import type Database from "better-sqlite3";
import type { StoryDelivery } from "../outbox.js";
import type { EventSource, StoryReasons, StoryRecord, StorySource } from "../types.js";

type Sql = (text: string) => Database.Statement;

/**
 * The story's reasons beside its record (found by the caller, so the prefix rule stays in one place): its
 * event's sources, first story first, each later one with why it was merged (what it matched, and how).
 */
export function storyReasons(sql: Sql, story: StoryRecord): StoryReasons {
  const row = sql(
    "SELECT rowid, cyber, tags_json AS tags, coalesce(event_rowid, rowid) AS event FROM stories WHERE id = ?",
  ).get(story.id) as { rowid: number; cyber: number; tags: string; event: number } | undefined;
  const tags = JSON.parse(row?.tags ?? "{}") as { cyber?: string[] };
  const members = row
    ? (sql(
        `SELECT id, path, url, source, date, merged_json AS merged FROM stories
         WHERE rowid = ? OR event_rowid = ? ORDER BY rowid`,
      ).all(row.event, row.event) as Array<EventSource & { id: string; merged: string | null }>)
    : [];
  const sources: StorySource[] = members.map(({ id, merged, ...source }) => {
    if (!merged) return source;
    const m = JSON.parse(merged) as { with: string; score: number; reasons: string[] };
    return { ...source, why: [`with ${m.with}`, ...m.reasons] };
  });
  return {
    story,
    cyber: (row?.cyber ?? 1) === 1,
    cyberWords: Array.isArray(tags.cyber) ? tags.cyber : null,
    sources:
      sources.length > 0
        ? sources
        : [{ path: story.path, url: story.url, source: story.source, date: story.date }],
  };
}

/** The story's alert and edits in the channel, then the digests that list its event, oldest first. */
export function deliveriesOf(sql: Sql, storyId: string, channelRef: string): StoryDelivery[] {
  const own = sql(
    `SELECT d.kind, d.status, d.tags, d.attempts, d.created_at AS createdAt, d.sent_at AS sentAt,
       d.next_attempt_at AS nextAttemptAt, d.last_error AS lastError
     FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid
     WHERE s.id = ? AND d.channel_ref = ? AND d.kind != 'digest' ORDER BY d.id`,
  ).all(storyId, channelRef) as StoryDelivery[];
  const digests = sql(
    `SELECT d.kind, d.status, d.tags, d.attempts, d.created_at AS createdAt, d.sent_at AS sentAt,
       d.next_attempt_at AS nextAttemptAt, d.last_error AS lastError, d.payload ->> '$.mode' AS mode,
       d.payload ->> '$.label' AS period
     FROM deliveries d, stories s
     WHERE s.id = ? AND d.channel_ref = ? AND d.kind = 'digest'
       AND EXISTS (SELECT 1 FROM json_each(d.payload, '$.events') e
                   WHERE e.value ->> 0 = coalesce(s.event_rowid, s.rowid))
     ORDER BY d.id`,
  ).all(storyId, channelRef) as StoryDelivery[];
  return [...own, ...digests];
}
