// One article save on PostgreSQL inside the caller's transaction: a new story, a revision (its history kept), a
// duplicate or an unchanged file; its tag rows (tag_counts follows them by trigger), its search column and the
// ledger row. The rules are store/sqlite/save.ts's. Two parts of that saver are not here yet: deciding which
// event a new story joins (every story opens its own event on this store, its event facts are stored for it),
// and the onSaved callback that queues deliveries (this store has no outbox yet).

import { createHash } from "node:crypto";
import { eventFacts } from "../../analysis/same-event.js";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow } from "../../core/clock.js";
import type { FileFacts, FileStatus, SaveOutcome } from "../../core/story.js";
import { eventColumns, keysOf } from "../sqlite/events.js";
import { tagRows } from "../sqlite/rows.js";
import { cveEvidence } from "../sqlite/save.js";
import type { PgFileLedger } from "./ledger.js";
import { vectorOf } from "./lexemes.js";
import type { Tx } from "./open.js";

export class PgStorySaver {
  constructor(
    private readonly clock: Clock,
    private readonly ledger: PgFileLedger,
  ) {}

  /** One save inside the caller's transaction; `alert` false stores a key quiet (a feed's baseline). */
  async save(
    tx: Tx,
    article: Article,
    analysis: Analysis,
    file: FileFacts,
    alert = true,
  ): Promise<SaveOutcome> {
    const now = isoNow(this.clock);
    const quiet = await this.ledger.quiet(tx, file.path, alert);
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
      const lead = await this.leads(tx, own.rowid);
      await tx.query(
        `UPDATE stories SET content_hash = $1, revision = revision + 1, date = $2, date_estimated = $3,
           title = $4, body = $5, summary = $6, url = $7, source = $8, tags_json = $9, cyber = $10,
           updated_at = $11, sketch = $12, signature = $13, topic = $14, search = $15::tsvector
         WHERE rowid = $16`,
        [
          ...this.storyValues(article, analysis, facts.cves ?? []),
          now,
          ...eventColumns(facts, keysOf(analysis, facts), lead),
          await vectorOf(tx, article.title, article.body),
          own.rowid,
        ],
      );
      await this.writeTags(tx, own.rowid, article, analysis, false);
      outcome = { kind: "revised", storyId: own.id, revision: own.revision + 1 };
    } else {
      const twin = await this.ledger.twinOf(tx, article.contentHash, file.path);
      if (twin) {
        outcome = { kind: "duplicate", storyId: twin.id, revision: twin.revision };
        if (!twin.moved) status = "duplicate";
      } else {
        const id = await this.newId(tx, article);
        const inserted = await tx.query<{ rowid: number }>(
          `INSERT INTO stories (id, path, content_hash, revision, date, date_estimated, title, body, summary, url,
             source, tags_json, cyber, ingested_at, updated_at, sketch, signature, topic, search)
           VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17::tsvector)
           RETURNING rowid`,
          [
            id,
            file.path,
            ...this.storyValues(article, analysis, facts.cves ?? []),
            now,
            ...eventColumns(facts, keysOf(analysis, facts), true),
            await vectorOf(tx, article.title, article.body),
          ],
        );
        const rowid = inserted.rows[0]?.rowid as number;
        await this.writeTags(tx, rowid, article, analysis, true);
        outcome = { kind: "new", storyId: id, revision: 1 };
      }
    }
    await this.ledger.record(tx, file, article.contentHash, outcome.storyId, status, now, quiet);
    return outcome;
  }

  /** Whether the story opens its event (it keeps its topic signature then). */
  private async leads(tx: Tx, rowid: number): Promise<boolean> {
    const row = await tx.query<{ event_rowid: number | null }>(
      "SELECT event_rowid FROM stories WHERE rowid = $1",
      [rowid],
    );
    return (row.rows[0]?.event_rowid ?? null) === null;
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

  /** The story's tag rows, all shown (the story opens its own event); one statement for all of them. */
  private async writeTags(
    tx: Tx,
    rowid: number,
    article: Article,
    analysis: Analysis,
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
      `INSERT INTO story_tags (story_rowid, kind, value, role, matched_json, date, shown)
       SELECT $1, t.kind, t.value, t.role, t.matched, $2, 1
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(kind, value, role, matched)
       ON CONFLICT DO NOTHING`,
      [
        rowid,
        article.date,
        rows.map((r) => r.kind),
        rows.map((r) => r.value),
        rows.map((r) => r.role),
        rows.map((r) => r.matched),
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
