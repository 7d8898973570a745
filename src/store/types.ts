// The StoryStore seam: everything the pipeline and the commands need, SQL kept behind it (shared words: core/story).

import type {
  ActorTag,
  Analysis,
  Article,
  CountryTag,
  Evidence,
  MalwareTag,
  SectorTag,
} from "../core/article.js";
import type { FeedStore } from "../core/feeds.js";
import type { RejectReason } from "../core/reject.js";
import type {
  FileFacts,
  IngestStore,
  SaveItem,
  SaveOutcome,
  ScanReport,
  StorySummary,
} from "../core/story.js";
import type { TagKey } from "../core/tags.js";
import type { OutboxTx, StoryDelivery } from "./outbox.js";

export interface Rejection extends FileFacts {
  reason: RejectReason;
  detail: string;
  firstSeen: string;
  lastSeen: string;
}

export interface StoryRecord extends StorySummary {
  body: string;
  contentHash: string;
  /** Where each CVE id was named, by id (offset -1: the title); empty for stories stored before issue 15. */
  cveMatched?: Record<string, Evidence[]>;
}

/** A new story or a revision, as the save transaction hands it to `onSaved`. */
export interface SavedStory {
  kind: "new" | "revised";
  /** The store's key of the story row (what outbox rows point at). */
  storyRowid: number;
  storyId: string;
  revision: number;
  /**
   * The event the story belongs to: `rowid` is the store key of its first story (the story's own when `lead`).
   * A revision keeps its story's event.
   */
  event: { rowid: number; lead: boolean };
  actors: ActorTag[];
  countries: CountryTag[];
  /** The analysis's cyber signal: only a cyber story reaches `all` subscribers. */
  cyber: boolean;
  sectors: SectorTag[];
  malware: MalwareTag[];
  /** CVE ids, upper case. */
  cves: string[];
}

/**
 * Runs inside the save transaction for every new or revised story (not for duplicates or unchanged files): what
 * it queues commits with the story, and if it throws, the save rolls back. main.ts passes alerts/routing.ts
 * `routeStory`, so a stored story never misses its deliveries.
 */
export type OnSaved = (tx: OutboxTx, saved: SavedStory) => void;

export interface SaveOptions {
  onSaved?: OnSaved;
}

/** Whether the store can serve requests (readiness). */
export interface StoreHealth {
  ok: boolean;
  /** Why not, when not. */
  detail?: string;
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
  /** Without a role: the country in any role; "sponsor": only stories that blame it; "target": attacked. */
  | { kind: "country"; code: string; role?: "sponsor" | "target" }
  | { kind: "sector"; id: string }
  /** A malware family's canonical id ("PlugX"). */
  | { kind: "malware"; id: string }
  /** A CVE id, any case. */
  | { kind: "cve"; id: string };

export interface StoreStats {
  stories: number;
  revisions: number;
  /** Ledger rows of files (feed items are counted in `feedItems`). */
  files: number;
  rejected: number;
  lastScan: ScanReport | null;
  /** Feeds configured (CLI, config file and chat). */
  feeds: number;
  /** Feed items in the ledger: stored, duplicate or quiet (a feed's baseline). */
  feedItems: number;
}

/** Where one source of an event came from: a file path or a feed item's key, its link, outlet and date. */
export interface EventSource {
  path: string;
  url: string | null;
  source: string | null;
  date: string;
}

/** One source of a story as `/cyber why` lists it; `why` says why a merged source joined the event. */
export interface StorySource extends EventSource {
  why?: string[];
}

/** What `/cyber why` explains beyond the story's own tags: its cyber signal and its sources. */
export interface StoryReasons {
  story: StoryRecord;
  /** The cyber signal the story was routed with (stories stored before it count as cyber). */
  cyber: boolean;
  /** The words behind the signal; null for a story stored before they were kept. */
  cyberWords: string[] | null;
  /** Today one: the story's own file or feed item. */
  sources: StorySource[];
}

/**
 * One event as `cyberbrief export` prints it. Until stories are merged into events, every story is its own event
 * with one source; an event of several stories takes its headline fields from its first story and lists them all.
 */
export interface ExportedEvent {
  id: string;
  title: string;
  date: string;
  dateEstimated: boolean;
  summary: string;
  revision: number;
  ingestedAt: string;
  updatedAt: string;
  /** About hacking (an actor, a CVE id or cyber vocabulary in any of its sources): what `all` subscribers get. */
  cyber: boolean;
  sources: EventSource[];
  actors: ActorTag[];
  countries: CountryTag[];
  /** Every source's sectors, malware and CVE ids, once each (the first story's evidence kept). */
  sectors: SectorTag[];
  malware: MalwareTag[];
  cves: string[];
}

export interface ExportQuery {
  /** Only events whose date is this day (YYYY-MM-DD) or later. */
  since?: string;
}

/** The ledger, saves, rejections and scan reports ingest uses (`IngestStore`, in core), and what the rest reads. */
export interface StoryStore extends IngestStore {
  /** Store an article and its analysis (new story, revision, duplicate or unchanged) in one transaction. */
  saveArticle(
    article: Article,
    analysis: Analysis,
    file: FileFacts,
    opts?: SaveOptions,
  ): Promise<SaveOutcome>;
  /** Several saves in one transaction, in order; outcomes in the same order. `onSaved` runs inside it. */
  saveArticles(items: SaveItem[], opts?: SaveOptions): Promise<SaveOutcome[]>;
  rejections(): Promise<Rejection[]>;
  stats(): Promise<StoreStats>;
  /**
   * The first and last stored file path in sort order (feed items excluded), null when there are none: what every
   * path shares is what those two share, so `status` finds the folder they came from without reading them all.
   */
  filePathBounds(): Promise<[first: string, last: string] | null>;

  /** By full id or a unique prefix of at least 4 characters. */
  getStory(idOrPrefix: string): Promise<StoryRecord | undefined>;
  latest(limit: number, offset?: number): Promise<Page>;
  byTag(tag: TagQuery, limit: number): Promise<Page>;
  /** Full-text search, newest stored first; every term is matched as literal text. */
  search(terms: string[], limit: number): Promise<Page>;
  /**
   * Every event, oldest first (by date, then by when it was stored), streamed: the store holds one event at a
   * time. Reads one snapshot of the database; stop early with `break` (the query is released).
   */
  exportEvents(query?: ExportQuery): AsyncIterable<ExportedEvent>;
  /** A story (full id or unique prefix) with its cyber signal and sources, for `/cyber why`. */
  storyReasons(idOrPrefix: string): Promise<StoryReasons | undefined>;
  /** Which of these keyword keys ("keyword:electoral commission") the story (full id) contains, by search's rule. */
  keywordsIn(storyId: string, keys: readonly TagKey[]): Promise<TagKey[]>;
  /** The outbox rows of a story (full id) in one channel: its alert and any edits, oldest first. */
  deliveriesOf(storyId: string, channelRef: string): Promise<StoryDelivery[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** Feed management (core/feeds.ts); `SqliteStoryStore` implements it beside `StoryStore`. */
export type { FeedStore };
