// Stories, the files they come from, and what ingest needs of a store: words ingest, store, commands and alerts share.

import type { ActorTag, Analysis, Article, CountryTag, MalwareTag, SectorTag } from "./article.js";
import type { RejectReason } from "./reject.js";

/**
 * Whether a story's path is a feed item's key (its canonical link, "https://…") rather than a file's path: the
 * one rule for naming a story by its feed and for the ledger's renamed-file moves. The store's SQL twin is
 * `FEED_KEY_SQL` in store/sqlite/ledger.ts.
 */
export const isFeedKey = (path: string): boolean => /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(path);

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
  /** First stored with `alert: false` (a feed's baseline): neither it nor its later revisions are alerted. */
  quiet: boolean;
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
  /** The victims' sectors, malware families and CVE ids it was tagged with (absent from stores before issue 15). */
  sectors?: SectorTag[];
  malware?: MalwareTag[];
  cves?: string[];
  /** How many other stories were merged into this story's event (0 when none). */
  sources?: number;
}

/**
 * One article to store, with its analysis and where it came from: a file, or a feed item whose `file.path` is its
 * identity key (its canonical link, e.g. "https://news.example/a").
 */
export interface SaveItem {
  article: Article;
  analysis: Analysis;
  file: FileFacts;
  /**
   * False: store without routing alerts (a feed's first poll, the baseline). A key first stored so is quiet for
   * good: its later revisions are not routed either. Default true.
   */
  alert?: boolean;
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
  /** Every file's ledger row (feed items excluded), keyed by path: one read per scan instead of one per file. */
  fileIndex(): Promise<Map<string, FileRecord>>;
  /** The ledger rows of these keys only (files or feed item keys); keys with no row are absent from the map. */
  fileRecords(paths: readonly string[]): Promise<Map<string, FileRecord>>;
  /** Several saves in one transaction, in order; outcomes in the same order. Quiet stories are not routed. */
  saveArticles(items: SaveItem[]): Promise<SaveOutcome[]>;
  /** Record a rejected file; `fresh` is true when this reason was not already recorded for it. */
  recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }>;
  recordScan(report: ScanReport): Promise<void>;
}
