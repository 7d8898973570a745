// The PostgreSQL store's writes from ingest: saves (one transaction per batch, under SAVE_LOCK, with the
// caller's onSaved routing each new or revised story into the outbox inside it), rejections and scan reports.

import type pg from "pg";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow } from "../../core/clock.js";
import type { RejectReason } from "../../core/reject.js";
import type { FileFacts, SaveItem, SaveOutcome, ScanReport } from "../../core/story.js";
import type { SaveOptions } from "../types.js";
import type { PgFileLedger } from "./ledger.js";
import { inTransaction } from "./open.js";
import type { PgOutbox } from "./outbox.js";
import type { Fence } from "./replica.js";
import { type RouteHints, routeSaved } from "./route-fetch.js";
import type { PgStorySaver, Routed } from "./save.js";

/** The advisory lock saves take ("cybs"): saves run one at a time, as SQLite's immediate transactions do. */
export const SAVE_LOCK = 0x63796273;

export class PgSaves {
  /** Checked first in each of these transactions when set: a scheduler leader's term (replica.ts). */
  fence: Fence | null = null;
  /** What routing asked in earlier saves, so later ones read it beforehand (route-fetch.ts). */
  private readonly hints: RouteHints = {};

  constructor(
    private readonly pool: pg.Pool,
    private readonly outbox: PgOutbox,
    private readonly clock: Clock,
    private readonly ledger: PgFileLedger,
    private readonly saver: PgStorySaver,
  ) {}

  /**
   * Several saves in one transaction, in order; outcomes in the same order. `opts.onSaved` runs inside it for
   * each new or revised story; the outbox's onRouted listeners hear of the rows it queued once it commits.
   */
  async saveArticles(items: SaveItem[], opts: SaveOptions = {}): Promise<SaveOutcome[]> {
    let added = 0;
    const { onSaved } = opts;
    const routed: Routed | undefined =
      onSaved &&
      (async (tx, saved) => {
        added += await routeSaved(tx, this.clock, onSaved, saved, this.hints);
      });
    const outcomes = await inTransaction(this.pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [SAVE_LOCK]);
      await this.fence?.(tx);
      const out: SaveOutcome[] = [];
      for (const it of items)
        out.push(await this.saver.save(tx, it.article, it.analysis, it.file, it.alert !== false, routed));
      return out;
    });
    if (added > 0) this.outbox.announce(added);
    return outcomes;
  }

  async saveArticle(
    article: Article,
    analysis: Analysis,
    file: FileFacts,
    opts?: SaveOptions,
  ): Promise<SaveOutcome> {
    const [outcome] = await this.saveArticles([{ article, analysis, file }], opts);
    return outcome as SaveOutcome;
  }

  recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }> {
    const now = isoNow(this.clock);
    return inTransaction(this.pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [SAVE_LOCK]);
      await this.fence?.(tx);
      return this.ledger.reject(tx, file, reason, detail, now);
    });
  }

  async recordScan(r: ScanReport): Promise<void> {
    await inTransaction(this.pool, async (tx) => {
      await this.fence?.(tx);
      await tx.query(
        `INSERT INTO scans (started_at, finished_at, new, updated, unchanged, duplicate, rejected)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.startedAt, r.finishedAt, r.new, r.updated, r.unchanged, r.duplicate, r.rejected],
      );
      await tx.query("DELETE FROM scans WHERE id <= (SELECT max(id) - 100 FROM scans)");
    });
  }
}
