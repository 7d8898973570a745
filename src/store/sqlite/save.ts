// One article save inside the caller's transaction: a new story, a revision (its history kept), a duplicate or
// an unchanged file; the ledger row; and the caller's onSaved callback for new and revised stories that are not
// quiet (the one place that decides whether a save routes alerts).

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { eventFacts } from "../../analysis/same-event.js";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow } from "../../core/clock.js";
import type { FileFacts, FileStatus, SaveOutcome } from "../../core/story.js";
import { savedStory } from "../event-rule.js";
import type { OutboxTx } from "../outbox.js";
import type { SaveOptions } from "../types.js";
import { type EventChoice, type EventIndex, eventColumns, keysOf } from "./events.js";
import type { FileLedger } from "./ledger.js";
import { cveEvidence, TagWriter } from "./save-tags.js";

export { cveEvidence };

export class StorySaver {
  /** The saved stories' tag rows and their counts in tag_counts. */
  private readonly tags: TagWriter;
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
  ) {
    this.tags = new TagWriter(sql);
  }

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
      this.tags.write(own.rowid, article, analysis, event.lead ? null : event.rowid, null);
      this.tags.reshow(event.rowid);
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
        const before = eventRowid !== undefined ? this.tags.shownBy(eventRowid) : null;
        this.tags.write(rowid, article, analysis, eventRowid ?? null, before, true);
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

  /** The store calls it as each save transaction begins: nothing is left from one that rolled back. */
  begin(): void {
    this.tags.clear();
    this.fullText.length = 0;
  }

  /**
   * Writes the new stories' full-text rows, and adds the shown tag rows this transaction's saves inserted to
   * tag_counts (save-tags.ts). The store calls it before each save transaction commits.
   */
  beforeCommit(): void {
    this.writeFullText();
    this.tags.addCounts();
  }

  private writeFullText(): void {
    if (this.fullText.length === 0) return;
    const insert = this.sql(INSERT_FTS);
    for (const [rowid, title, body] of this.fullText) insert.run(rowid, title, body);
    this.fullText.length = 0;
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

const INSERT_FTS = "INSERT INTO stories_fts (rowid, title, body) VALUES (?, ?, ?)";
