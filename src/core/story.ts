// Stories, the files they come from, and what ingest needs of a store: words ingest, store, commands and alerts share.

import type { ActorTag, Analysis, Article, CountryTag } from "./article.js";
import type { RejectReason } from "./reject.js";

/** What ingest knows of a file on disk before reading it (the reader needs only the path and the time). */
export interface FileFacts {
  path: string;
  size: number;
  mtimeMs: number;
}

export type FileStatus = "stored" | "duplicate" | "rejected";

/** The ledger row for one file: lets a re-scan skip it without reading. */
export interface FileRecord extends FileFacts {
  contentHash: string | null;
  storyId: string | null;
  status: FileStatus;
}

/** What one pass over the seeds folder did. */
export interface ScanReport {
  startedAt: string;
  finishedAt: string;
  new: number;
  updated: number;
  unchanged: number;
  duplicate: number;
  rejected: number;
}

/** A story without its body: what lists, cards and alerts need. */
export interface StorySummary {
  id: string;
  path: string;
  revision: number;
  date: string;
  dateEstimated: boolean;
  title: string;
  summary: string;
  url: string | null;
  source: string | null;
  ingestedAt: string;
  updatedAt: string;
  actors: ActorTag[];
  countries: CountryTag[];
}

/** One article to store, with its analysis and the file it came from. */
export interface SaveItem {
  article: Article;
  analysis: Analysis;
  file: FileFacts;
}

export type SaveKind = "new" | "revised" | "duplicate" | "unchanged";

export interface SaveOutcome {
  kind: SaveKind;
  storyId: string;
  revision: number;
}

/**
 * What ingest needs of a story store; every `StoryStore` (src/store/types.ts) extends it. It lives here, not in
 * store/, because ingest and the store sit on the same level and neither imports the other: main.ts passes it in.
 */
export interface IngestStore {
  /** Every ledger row, keyed by path: one read per scan instead of one per file. */
  fileIndex(): Promise<Map<string, FileRecord>>;
  /** Several saves in one transaction, in order; outcomes in the same order. */
  saveArticles(items: SaveItem[]): Promise<SaveOutcome[]>;
  /** Record a rejected file; `fresh` is true when this reason was not already recorded for it. */
  recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }>;
  recordScan(report: ScanReport): Promise<void>;
}
