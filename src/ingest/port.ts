// What ingest needs of a story store: the file ledger, batched saves, rejections and scan reports.
// Ingest owns this port, so it never imports the store (a level beside it); any `StoryStore` satisfies it as it is,
// and the composition root (main.ts) passes one in.

import type { RejectReason } from "../core/reject.js";
import type { FileFacts, FileRecord, SaveItem, SaveOutcome, ScanReport } from "../core/story.js";

export interface IngestStore {
  /** The ledger, keyed by path: a scan reads it once and skips files whose size and mtime are unchanged. */
  fileIndex(): Promise<Map<string, FileRecord>>;
  /** A batch of articles saved in one transaction; one outcome per item, in order. */
  saveArticles(items: SaveItem[]): Promise<SaveOutcome[]>;
  /** `fresh` tells ingest to report the rejection (it was not already recorded for this file and reason). */
  recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }>;
  recordScan(report: ScanReport): Promise<void>;
}
