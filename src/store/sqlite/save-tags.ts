// A save's tag rows: which story of an event shows each tag, shown again for the whole event after a revision,
// and the shown rows a transaction inserted added to tag_counts before it commits.

import type Database from "better-sqlite3";
import type { Analysis, Article, Evidence } from "../../core/article.js";
import { tagRowKey, tagRows } from "./rows.js";

export class TagWriter {
  /** Shown tag rows inserted since the last addCounts or clear, by JSON [kind, value, role]. */
  private readonly counted = new Map<string, number>();

  constructor(private readonly sql: (text: string) => Database.Statement) {}

  /**
   * The story's tag rows, with the event they belong to when the story is a later one (`event`). A later story
   * shows a tag in lists only when no earlier story of its event has it (`before`, by tagRowKey; null: shows
   * all), so an event is listed once under each of its tags.
   */
  write(
    rowid: number,
    article: Article,
    analysis: Analysis,
    event: number | null,
    before: ReadonlySet<string> | null,
    fresh = false,
  ): void {
    if (!fresh) this.sql("DELETE FROM story_tags WHERE story_rowid = ?").run(rowid);
    const insert = this.sql(
      `INSERT OR IGNORE INTO story_tags (story_rowid, kind, value, role, matched_json, date, shown, event_rowid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const more = {
      sectors: analysis.sectors,
      malware: analysis.malware,
      cves: analysis.cves,
      cveMatched: cveEvidence(article, analysis.cves),
    };
    for (const t of tagRows(analysis.actors, analysis.countries, more)) {
      const shown = before === null || !before.has(tagRowKey(t));
      const added = insert.run(rowid, t.kind, t.value, t.role, t.matched, article.date, shown ? 1 : 0, event);
      if (shown && added.changes === 1) {
        const key = JSON.stringify([t.kind, t.value, t.role]);
        this.counted.set(key, (this.counted.get(key) ?? 0) + 1);
      }
    }
  }

  /** A revision may add or drop tags the event's other stories have: which story shows each is decided again. */
  reshow(event: number): void {
    this.sql(RESHOW).run({ event });
  }

  /** The tags an event shows: its first story's and those its later stories show (every kind of tag). */
  shownBy(event: number): Set<string> {
    // Two index probes: the first story's rows (primary key), and story_tags_shown_by_event, which holds only
    // the tags the event's first story lacked.
    const rows = this.sql(
      `SELECT kind, value, role FROM story_tags WHERE story_rowid = ?
       UNION ALL SELECT kind, value, role FROM story_tags WHERE event_rowid = ? AND shown = 1`,
    ).all(event, event) as TagIdentity[];
    return new Set(rows.map(tagRowKey));
  }

  /** Forgets the counts of a transaction that rolled back. */
  clear(): void {
    this.counted.clear();
  }

  /**
   * Adds the shown tag rows inserted since the last call to tag_counts in one statement (a trigger per row cost
   * ingest 10% more); deletes and updates of story_tags rows are counted by triggers (count-migrations.ts).
   */
  addCounts(): void {
    if (this.counted.size === 0) return;
    const rows = [...this.counted].map(([key, n]) => `[${key.slice(1, -1)},${n}]`);
    this.counted.clear();
    this.sql(ADD_COUNTS).run(`[${rows.join(",")}]`);
  }
}

const ADD_COUNTS = `INSERT INTO tag_counts (kind, value, role, stories)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM jsonb_each(jsonb(?)) WHERE true
  ON CONFLICT (kind, value, role) DO UPDATE SET stories = stories + excluded.stories`;

/**
 * The later stories of an event (`@event`: its first story) show a tag when neither the first story nor an
 * earlier later story has it: the rule `write` keeps for a new story, applied to the whole event.
 */
const RESHOW = `UPDATE story_tags SET shown = NOT EXISTS (
    SELECT 1 FROM story_tags o
    WHERE o.kind = story_tags.kind AND o.value = story_tags.value AND o.role = story_tags.role
      AND o.story_rowid IN (SELECT @event UNION ALL
        SELECT rowid FROM stories WHERE event_rowid = @event AND rowid < story_tags.story_rowid))
  WHERE story_rowid IN (SELECT rowid FROM stories WHERE event_rowid = @event)`;

/** Where each CVE id is named: the title (offset -1) and every place in the body, found in one pass over each. */
export function cveEvidence(article: Article, cves: readonly string[]): Record<string, Evidence[]> {
  const out: Record<string, Evidence[]> = {};
  if (cves.length === 0) return out;
  const wanted = new Set(cves.map((c) => c.toUpperCase()));
  const scan = (text: string, inTitle: boolean) => {
    for (const m of text.matchAll(/cve-\d{4}-\d{4,}/gi)) {
      const id = m[0].toUpperCase();
      if (!wanted.has(id)) continue;
      const list = out[id] ?? [];
      out[id] = list;
      if (list.length < 20) list.push({ text: m[0], offset: inTitle ? -1 : m.index });
    }
  };
  scan(article.title, true);
  scan(article.body, false);
  return out;
}

/** What identifies a tag row. */
type TagIdentity = { kind: string; value: string; role: string };
