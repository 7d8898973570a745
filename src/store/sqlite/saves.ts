// The SQLite store's writes from ingest: saves (a batch in one immediate transaction, the caller's onSaved
// routing each new or revised story inside it), rejections and scan reports (the last 100 kept).

import type Database from "better-sqlite3";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow } from "../../core/clock.js";
import type { RejectReason } from "../../core/reject.js";
import type { FileFacts, SaveItem, SaveOutcome, ScanReport } from "../../core/story.js";
import type { SaveOptions } from "../types.js";
import type { FileLedger } from "./ledger.js";
import type { StorySaver } from "./save.js";

export class SqliteSaves {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: (text: string) => Database.Statement,
    private readonly clock: Clock,
    private readonly ledger: FileLedger,
    private readonly saver: StorySaver,
  ) {}

  saveArticles(items: SaveItem[], opts: SaveOptions): SaveOutcome[] {
    // One transaction for the batch: a commit costs far more than the rows in it.
    return this.db
      .transaction(() => {
        this.saver.begin();
        const outcomes = items.map((it) =>
          this.saver.save(it.article, it.analysis, it.file, opts, it.alert !== false),
        );
        this.saver.beforeCommit();
        return outcomes;
      })
      .immediate();
  }

  saveArticle(article: Article, analysis: Analysis, file: FileFacts, opts: SaveOptions): SaveOutcome {
    return this.db
      .transaction(() => {
        this.saver.begin();
        const outcome = this.saver.save(article, analysis, file, opts);
        this.saver.beforeCommit();
        return outcome;
      })
      .immediate();
  }

  recordRejection(file: FileFacts, reason: RejectReason, detail: string): { fresh: boolean } {
    const now = isoNow(this.clock);
    return this.db.transaction(() => this.ledger.reject(file, reason, detail, now)).immediate();
  }

  recordScan(r: ScanReport): void {
    this.sql(
      "INSERT INTO scans (started_at, finished_at, new, updated, unchanged, duplicate, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(r.startedAt, r.finishedAt, r.new, r.updated, r.unchanged, r.duplicate, r.rejected);
    this.sql("DELETE FROM scans WHERE id <= (SELECT max(id) - 100 FROM scans)").run();
  }
}
