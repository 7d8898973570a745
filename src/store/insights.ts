// The read queries behind trend charts and the web pages: counts per day, filtered pages, revisions, channels.

import type { Page, TagQuery } from "./types.js";

/** What a trend counts: a tag as lists know it, or a keyword phrase (matched as `/cyber search` matches). */
export type TrendTag = TagQuery | { kind: "keyword"; phrase: string };

export interface DayCount {
  /** YYYY-MM-DD */
  date: string;
  count: number;
}

/** Every tag must match (`AND`), and every search word when `terms` is given. */
export interface StoryFilter {
  tags: TagQuery[];
  terms?: string[];
}

export interface StoryRevision {
  revision: number;
  title: string;
  summary: string;
  savedAt: string;
}

export interface InsightStore {
  /** Events per day (each counted once, on its first story's date that has the tag) from `from` to `to`. */
  countsByDay(tag: TrendTag, from: string, to: string): Promise<DayCount[]>;
  /** Events matching every filter, newest first (as lists show them), with their total. */
  filtered(filter: StoryFilter, limit: number, offset: number): Promise<Page>;
  /** A story's earlier revisions (full id), newest first; the current one is the story itself. */
  revisions(storyId: string): Promise<StoryRevision[]>;
  /** Channels that have or had subscriptions (not only removed ones), or an outbox row for the story when given. */
  channels(storyId?: string): Promise<string[]>;
}
