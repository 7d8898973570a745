// One article save inside the caller's transaction: a new story, a revision (its history kept), a duplicate or
// an unchanged file; the ledger row; and the caller's onSaved callback for new and revised stories that are not
// quiet (the one place that decides whether a save routes alerts).

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { eventFacts } from "../../analysis/same-event.js";
import type { Analysis, Article, Evidence } from "../../core/article.js";
import { type Clock, isoNow } from "../../core/clock.js";
import type { FileFacts, FileStatus, SaveOutcome } from "../../core/story.js";
import { savedStory } from "../event-rule.js";
import type { OutboxTx } from "../outbox.js";
import type { SaveOptions } from "../types.js";
import { type EventChoice, type EventIndex, eventColumns, keysOf } from "./events.js";
import type { FileLedger } from "./ledger.js";
import { tagRowKey, tagRows } from "./rows.js";

export class StorySaver {
  /** Shown tag rows inserted since the last beforeCommit, by JSON [kind, value, role]. */
  private readonly counted = new Map<string, number>();
  /**
   * New stories' full-text rows (rowid, title, body), written together before the commit: FTS5 indexes a run of
   * them in about 60% of the time the same rows take one between each story's other statements.
   */
  private readonly fullText: Array<[number, string, string]> = [];

  constructor(
    private readonly sql: (text: string) => Database.Statement,
    private readonly clock: Clock,
    private readonly ledger: FileLedger,
    /** What onSaved gets: the outbox's queueing view of this same connection. */
    private readonly tx: OutboxTx,
    private readonly events: EventIndex,
  ) {}

  /**
   * One save inside the caller's transaction; `opts.onSaved` sees new and revised stories before it commits,
   * unless the save does not alert (`alert` false) or its key is quiet: first stored without alerting (a feed's
   * baseline), so its later revisions never alert either.
   */
  save(article: Article, analysis: Analysis, file: FileFacts, opts: SaveOptions, alert = true): SaveOutcome {
    const now = isoNow(this.clock);
    const quiet = this.ledger.quiet(file.path, alert);
    const route = alert && !quiet;
    // The story this file is bound to (possibly moved here from a renamed file), else a twin by text.
    const own = this.ledger.storyOf(file.path);
    let outcome: SaveOutcome;
    let status: FileStatus = "stored";
    if (own && own.content_hash === article.contentHash) {
      outcome = { kind: "unchanged", storyId: own.id, revision: own.revision };
    } else if (own) {
      // Its old full-text row is replaced by the update's trigger: it must be in the index by then.
      this.writeFullText();
      this.sql(
        `INSERT OR IGNORE INTO story_revisions (story_rowid, revision, content_hash, title, body, summary, saved_at)
           SELECT rowid, revision, content_hash, title, body, summary, updated_at FROM stories WHERE rowid = ?`,
      ).run(own.rowid);
      const facts = eventFacts(article, analysis);
      const { event, keys } = this.events.revise(own.rowid, own.id, facts);
      this.sql(
        `UPDATE stories SET content_hash = ?, revision = revision + 1, date = ?, date_estimated = ?, title = ?,
           body = ?, summary = ?, url = ?, source = ?, tags_json = ?, cyber = ?, updated_at = ?,
           sketch = ?, signature = ?, topic = ? WHERE rowid = ?`,
      ).run(
        ...this.storyValues(article, analysis, facts.cves),
        now,
        ...eventColumns(facts, keys, event.lead),
        own.rowid,
      );
      this.writeTags(own.rowid, article, analysis, event.lead ? null : event.rowid, null);
      // A revision may add or drop tags the event's other stories have: which story shows each is decided again.
      this.sql(RESHOW).run({ event: event.rowid });
      outcome = { kind: "revised", storyId: own.id, revision: own.revision + 1 };
      if (route) this.onSaved(opts, own.rowid, outcome, analysis, event);
    } else {
      const twin = this.ledger.twinOf(article.contentHash, file.path);
      if (twin) {
        // A renamed file is no news either; it becomes the story's file (`stored`), a copy stays a duplicate.
        outcome = { kind: "duplicate", storyId: twin.id, revision: twin.revision };
        if (!twin.moved) status = "duplicate";
      } else {
        const id = this.newId(article);
        // The event is decided before the insert, so the row is written once with it.
        const facts = eventFacts(article, analysis);
        const decision = this.events.decide(facts, keysOf(analysis, facts));
        const info = this.sql(
          `INSERT INTO stories (id, path, content_hash, revision, date, date_estimated, title, body, summary,
             url, source, tags_json, cyber, ingested_at, updated_at, event_rowid, merged_json, sketch,
             signature, topic) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          id,
          file.path,
          article.contentHash,
          ...this.storyValues(article, analysis, facts.cves).slice(1),
          now,
          now,
          decision.eventRowid ?? null,
          decision.merged ? JSON.stringify(decision.merged) : null,
          ...eventColumns(facts, decision.keys, decision.eventRowid === undefined),
        );
        const rowid = Number(info.lastInsertRowid);
        // The full-text row is written by the saver, not by a trigger (migration 9): a trigger costs SQLite half
        // again. It waits for the other new stories of the transaction (beforeCommit).
        this.fullText.push([rowid, article.title, article.body]);
        const { eventRowid } = decision;
        const before = eventRowid !== undefined ? this.shownBy(eventRowid) : null;
        this.writeTags(rowid, article, analysis, eventRowid ?? null, before, true);
        const event = this.events.record(rowid, id, decision);
        outcome = { kind: "new", storyId: id, revision: 1 };
        if (route) this.onSaved(opts, rowid, outcome, analysis, event);
      }
    }
    this.ledger.record(file, article.contentHash, outcome.storyId, status, now, quiet);
    return outcome;
  }

  /** Hands a new or revised story to the caller's callback, inside the save transaction (alerts are routed here). */
  private onSaved(
    opts: SaveOptions,
    storyRowid: number,
    outcome: SaveOutcome,
    analysis: Analysis,
    event: EventChoice,
  ): void {
    if (!opts.onSaved || (outcome.kind !== "new" && outcome.kind !== "revised")) return;
    opts.onSaved(this.tx, savedStory(storyRowid, outcome, analysis, event));
  }

  private storyValues(article: Article, analysis: Analysis, cves: string[] = []) {
    // `cyber` keeps the distinct words behind the cyber signal, for `/cyber why`; `cves` the CVE ids named.
    const cyber = [...new Set(analysis.cyberEvidence.map((e) => e.text))];
    const tags = JSON.stringify({
      actors: analysis.actors,
      countries: analysis.countries,
      cyber,
      cves,
      sectors: analysis.sectors ?? [],
      malware: analysis.malware ?? [],
      cveMatched: cveEvidence(article, cves),
    });
    return [
      article.contentHash,
      article.date,
      article.dateEstimated ? 1 : 0,
      article.title,
      article.body,
      analysis.summary,
      article.url,
      article.source,
      tags,
      analysis.cyber ? 1 : 0,
    ] as const;
  }

  /**
   * The story's tag rows, with the event they belong to when the story is a later one (`event`). A later story
   * shows a tag in lists only when no earlier story of its event has it (`before`, by tagRowKey; null: shows
   * all), so an event is listed once under each of its tags.
   */
  private writeTags(
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

  /** The store calls it as each save transaction begins: nothing is left from one that rolled back. */
  begin(): void {
    this.counted.clear();
    this.fullText.length = 0;
  }

  /**
   * Writes the new stories' full-text rows, and adds the shown tag rows this transaction's saves inserted to
   * tag_counts in one statement (a trigger per row cost ingest 10% more). The store calls it before each save
   * transaction commits; deletes and updates of story_tags rows are counted by triggers (count-migrations.ts).
   */
  beforeCommit(): void {
    this.writeFullText();
    if (this.counted.size === 0) return;
    const rows = [...this.counted].map(([key, n]) => `[${key.slice(1, -1)},${n}]`);
    this.counted.clear();
    this.sql(ADD_COUNTS).run(`[${rows.join(",")}]`);
  }

  private writeFullText(): void {
    if (this.fullText.length === 0) return;
    const insert = this.sql(INSERT_FTS);
    for (const [rowid, title, body] of this.fullText) insert.run(rowid, title, body);
    this.fullText.length = 0;
  }

  /** The tags an event shows: its first story's and those its later stories show (every kind of tag). */
  private shownBy(event: number): Set<string> {
    // Two index probes: the first story's rows (primary key), and story_tags_shown_by_event, which holds only
    // the tags the event's first story lacked.
    const rows = this.sql(
      `SELECT kind, value, role FROM story_tags WHERE story_rowid = ?
       UNION ALL SELECT kind, value, role FROM story_tags WHERE event_rowid = ? AND shown = 1`,
    ).all(event, event) as TagIdentity[];
    return new Set(rows.map(tagRowKey));
  }

  private newId(article: Article): string {
    const hash = createHash("sha256")
      .update(article.path)
      .update("\0")
      .update(article.contentHash)
      .digest("hex");
    const exists = this.sql("SELECT 1 FROM stories WHERE id = ?");
    for (let len = 8; len < hash.length; len += 2) {
      const id = hash.slice(0, len);
      if (!exists.get(id)) return id;
    }
    return hash;
  }
}

const ADD_COUNTS = `INSERT INTO tag_counts (kind, value, role, stories)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM jsonb_each(jsonb(?)) WHERE true
  ON CONFLICT (kind, value, role) DO UPDATE SET stories = stories + excluded.stories`;

const INSERT_FTS = "INSERT INTO stories_fts (rowid, title, body) VALUES (?, ?, ?)";

/**
 * The later stories of an event (`@event`: its first story) show a tag when neither the first story nor an
 * earlier later story has it: the rule writeTags keeps for a new story, applied to the whole event.
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
