// The StoryStore seam: everything the pipeline and the commands need, SQL kept behind it (shared words: core/story).

import type { Analysis, Article } from "../core/article.js";
import type { RejectReason } from "../core/reject.js";
import type { FileFacts, IngestStore, SaveOutcome, ScanReport, StorySummary } from "../core/story.js";

export interface Rejection extends FileFacts {
  reason: RejectReason;
  detail: string;
  firstSeen: string;
  lastSeen: string;
}

export interface StoryRecord extends StorySummary {
  body: string;
  contentHash: string;
}

export interface Page {
  stories: StorySummary[];
  /** How many stories match in all (a lower bound when `capped`). */
  total: number;
  /** Set when counting stopped early: there are at least `total`. */
  capped?: boolean;
}

export type TagQuery =
  | { kind: "actor"; id: string }
  /** Without a role: the country in any role; "sponsor": only stories that blame it. */
  | { kind: "country"; code: string; role?: "sponsor" };

export interface StoreStats {
  stories: number;
  revisions: number;
  files: number;
  rejected: number;
  lastScan: ScanReport | null;
}

/** The ledger, saves, rejections and scan reports ingest uses (`IngestStore`, in core), and what the rest reads. */
export interface StoryStore extends IngestStore {
  /** Store an article and its analysis (new story, revision, duplicate or unchanged) in one transaction. */
  saveArticle(article: Article, analysis: Analysis, file: FileFacts): Promise<SaveOutcome>;
  rejections(): Promise<Rejection[]>;
  stats(): Promise<StoreStats>;

  /** By full id or a unique prefix of at least 4 characters. */
  getStory(idOrPrefix: string): Promise<StoryRecord | undefined>;
  latest(limit: number, offset?: number): Promise<Page>;
  byTag(tag: TagQuery, limit: number): Promise<Page>;
  /** Full-text search, newest stored first; every term is matched as literal text. */
  search(terms: string[], limit: number): Promise<Page>;
  close(): Promise<void>;
}
