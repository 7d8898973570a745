// Stories and the files they come from: the words ingest, the store, the commands and the alerts share.

import type { ActorTag, Analysis, Article, CountryTag } from "./article.js";

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
