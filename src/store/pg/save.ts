// One article save on PostgreSQL inside the caller's transaction: a new story (its event decided by events.ts),
// a revision (its history kept), a duplicate or an unchanged file; its tag rows (tag_counts follows them by
// trigger), its search column and the ledger row; then, for a new or revised story that alerts, the caller's
// `routed` step (the onSaved callback, outbox-tx.ts). The rules are store/sqlite/save.ts's.

import { createHash } from "node:crypto";
import { eventFacts } from "../../analysis/same-event.js";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow } from "../../core/clock.js";
import type { FileFacts, FileStatus, SaveOutcome } from "../../core/story.js";
import { eventColumns, keysOf, savedStory } from "../event-rule.js";
import { tagRowKey, tagRows } from "../sqlite/rows.js";
import { cveEvidence } from "../sqlite/save.js";
import type { SavedStory } from "../types.js";
import type { PgEvents } from "./events.js";
import type { PgFileLedger } from "./ledger.js";
import { vectorOf } from "./lexemes.js";
import type { Tx } from "./open.js";

/** What runs for a new or revised story that alerts, inside the save transaction. */
export type Routed = (tx: Tx, saved: SavedStory) => Promise<void>;

export class PgStorySaver {
  constructor(
    private readonly clock: Clock,
    private readonly ledger: PgFileLedger,
    private readonly events: PgEvents,
  ) {}

  /**
   * One save inside the caller's transaction; `alert` false stores a key quiet (a feed's baseline). `routed`
   * sees new and revised stories unless the save does not alert or its key is quiet.
   */
  async save(
    tx: Tx,
    article: Article,
    analysis: Analysis,
    file: FileFacts,
    alert = true,
    routed?: Routed,
  ): Promise<SaveOutcome> {
    const now = isoNow(this.clock);
    const quiet = await this.ledger.quiet(tx, file.path, alert);
    const route = alert && !quiet ? routed : undefined;
    const own = await this.ledger.storyOf(tx, file.path);
    let outcome: SaveOutcome;
    let status: FileStatus = "stored";
    const facts = eventFacts(article, analysis);
    if (own && own.content_hash === article.contentHash) {
      outcome = { kind: "unchanged", storyId: own.id, revision: own.revision };
    } else if (own) {
      await tx.query(
        `INSERT INTO story_revisions (story_rowid, revision, content_hash, title, body, summary, saved_at)
           SELECT rowid, revision, content_hash, title, body, summary, updated_at FROM stories WHERE rowid = $1
         ON CONFLICT DO NOTHING`,
        [own.rowid],
      );
      const keys = keysOf(analysis, facts);
      const event = await this.events.revise(tx, own.rowid, facts, keys);
      await tx.query(
        `UPDATE stories SET content_hash = $1, revision = revision + 1, date = $2, date_estimated = $3,
           title = $4, body = $5, summary = $6, url = $7, source = $8, tags_json = $9, cyber = $10,
           updated_at = $11, sketch = $12, signature = $13, topic = $14, search = $15::tsvector
         WHERE rowid = $16`,
        [
          ...this.storyValues(article, analysis, facts.cves ?? []),
          now,
          ...eventColumns(facts, keys, event.lead),
          await vectorOf(tx, article.title, article.body),
          own.rowid,
        ],
      );
      await this.writeTags(tx, own.rowid, article, analysis, event.lead ? null : event.rowid, null, false);
      // A revision may add or drop tags the event's other stories have: which story shows each is decided again.
      await tx.query(RESHOW, [event.rowid]);
      outcome = { kind: "revised", storyId: own.id, revision: own.revision + 1 };
      await route?.(tx, savedStory(own.rowid, outcome, analysis, event));
    } else {
      const twin = await this.ledger.twinOf(tx, article.contentHash, file.path);
      if (twin) {
        outcome = { kind: "duplicate", storyId: twin.id, revision: twin.revision };
        if (!twin.moved) status = "duplicate";
      } else {
        const id = await this.newId(tx, article);
        // The event is decided before the insert, so the row is written once with it.
        const decision = await this.events.decide(tx, facts, keysOf(analysis, facts));
        const { eventRowid } = decision;
        const inserted = await tx.query<{ rowid: number }>(
          `INSERT INTO stories (id, path, content_hash, revision, date, date_estimated, title, body, summary, url,
             source, tags_json, cyber, ingested_at, updated_at, event_rowid, merged_json, sketch, signature, topic,
             search)
           VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17, $18,
             $19::tsvector)
           RETURNING rowid`,
          [
            id,
            file.path,
            ...this.storyValues(article, analysis, facts.cves ?? []),
            now,
            eventRowid ?? null,
            decision.merged ? JSON.stringify(decision.merged) : null,
            ...eventColumns(facts, decision.keys, eventRowid === undefined),
            await vectorOf(tx, article.title, article.body),
          ],
        );
        const rowid = inserted.rows[0]?.rowid as number;
        const before = eventRowid !== undefined ? await this.shownBy(tx, eventRowid) : null;
        await this.writeTags(tx, rowid, article, analysis, eventRowid ?? null, before, true);
        const event = await this.events.record(tx, rowid, decision);
        outcome = { kind: "new", storyId: id, revision: 1 };
        await route?.(tx, savedStory(rowid, outcome, analysis, event));
      }
    }
    await this.ledger.record(tx, file, article.contentHash, outcome.storyId, status, now, quiet);
    return outcome;
  }

  /** The tags an event shows: its first story's and those its later stories show (every kind of tag). */
  private async shownBy(tx: Tx, event: number): Promise<Set<string>> {
    const rows = await tx.query<{ kind: string; value: string; role: string }>(
      `SELECT kind, value, role FROM story_tags WHERE story_rowid = $1
       UNION ALL SELECT kind, value, role FROM story_tags WHERE event_rowid = $1 AND shown = 1`,
      [event],
    );
    return new Set(rows.rows.map(tagRowKey));
  }

  /** Content hash, date, flags, text and tags_json, as SQLite's saver writes them (store/sqlite/save.ts). */
  private storyValues(article: Article, analysis: Analysis, cves: string[]): unknown[] {
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
    ];
  }

  /**
   * The story's tag rows in one statement, with the event they belong to when the story is a later one
   * (`event`); such a row is shown in lists only when no earlier story of its event has the tag (`before`, by
   * tagRowKey; null: all shown), as SQLite's saver does.
   */
  private async writeTags(
    tx: Tx,
    rowid: number,
    article: Article,
    analysis: Analysis,
    event: number | null,
    before: ReadonlySet<string> | null,
    fresh: boolean,
  ): Promise<void> {
    if (!fresh) await tx.query("DELETE FROM story_tags WHERE story_rowid = $1", [rowid]);
    const more = {
      sectors: analysis.sectors,
      malware: analysis.malware,
      cves: analysis.cves,
      cveMatched: cveEvidence(article, analysis.cves),
    };
    const rows = tagRows(analysis.actors, analysis.countries, more);
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO story_tags (story_rowid, kind, value, role, matched_json, date, shown, event_rowid)
       SELECT $1, t.kind, t.value, t.role, t.matched, $2, t.shown, $8
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[]) AS t(kind, value, role, matched, shown)
       ON CONFLICT DO NOTHING`,
      [
        rowid,
        article.date,
        rows.map((r) => r.kind),
        rows.map((r) => r.value),
        rows.map((r) => r.role),
        rows.map((r) => r.matched),
        rows.map((r) => (before === null || !before.has(tagRowKey(r)) ? 1 : 0)),
        event,
      ],
    );
  }

  /** The shortest unused prefix (8 characters at least) of sha256(path, content hash), as SQLite's saver. */
  private async newId(tx: Tx, article: Article): Promise<string> {
    const hash = createHash("sha256")
      .update(article.path)
      .update("\0")
      .update(article.contentHash)
      .digest("hex");
    const candidates: string[] = [];
    for (let len = 8; len < hash.length; len += 2) candidates.push(hash.slice(0, len));
    const taken = await tx.query<{ id: string }>("SELECT id FROM stories WHERE id = ANY($1::text[])", [
      candidates,
    ]);
    const used = new Set(taken.rows.map((r) => r.id));
    return candidates.find((c) => !used.has(c)) ?? hash;
  }
}

/**
 * The later stories of an event ($1: its first story) show a tag when neither the first story nor an earlier
 * later story has it: the rule writeTags keeps for a new story, applied to the whole event (sqlite/save-tags.ts).
 */
const RESHOW = `UPDATE story_tags t SET shown = CASE WHEN EXISTS (
    SELECT 1 FROM story_tags o
    WHERE o.kind = t.kind AND o.value = t.value AND o.role = t.role
      AND (o.story_rowid = $1 OR o.story_rowid IN (
        SELECT rowid FROM stories WHERE event_rowid = $1 AND rowid < t.story_rowid))) THEN 0 ELSE 1 END
  WHERE t.story_rowid IN (SELECT rowid FROM stories WHERE event_rowid = $1)`;
