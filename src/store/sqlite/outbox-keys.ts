// The integer keys of outbox rows (migration 11): a channel's id and a tag list's id, made on first use.

import type Database from "better-sqlite3";
import type { Platform } from "../../core/platform.js";

type Sql = (text: string) => Database.Statement;

/** The id of the channel `ref`, adding its `channels` row when it has none. */
export function channelId(sql: Sql, ref: string, platform: Platform): number {
  const found = sql("SELECT id FROM channels WHERE ref = ?").pluck().get(ref) as number | undefined;
  if (found !== undefined) return found;
  return Number(sql("INSERT INTO channels (ref, platform) VALUES (?, ?)").run(ref, platform).lastInsertRowid);
}

/** The id of each tag list ("actor:APT40, country:NZ"), adding the ones not stored yet. */
export function tagListIds(sql: Sql, lists: Iterable<string>): Map<string, number> {
  const find = sql("SELECT id FROM tag_lists WHERE tags = ?").pluck();
  const add = sql("INSERT INTO tag_lists (tags) VALUES (?)");
  const ids = new Map<string, number>();
  for (const tags of lists) {
    if (ids.has(tags)) continue;
    const found = find.get(tags) as number | undefined;
    ids.set(tags, found ?? Number(add.run(tags).lastInsertRowid));
  }
  return ids;
}
