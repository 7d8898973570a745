// The neutral messages adapters render: StoryCard (with its builder from a stored story) and Reply.

import { basename } from "node:path";
import type { CountryRole } from "./article.js";
import { isFeedKey, type StorySummary } from "./story.js";

export interface ActorRef {
  id: string;
  name: string;
  /** The alias the article used, when it differs from the canonical name. */
  alias?: string;
}

const ROLE_WORDS: Record<CountryRole, string> = {
  sponsor: "blamed",
  target: "target",
  mentioned: "mentioned",
};

/** The roles worth showing: "mentioned" only when it is the only one (a blamed or attacked country is named anyway). */
export function shownRoles(roles: readonly CountryRole[]): CountryRole[] {
  const telling = roles.filter((r) => r !== "mentioned");
  return telling.length > 0 ? telling : [...roles];
}

/** The shown roles as readers say them: ["blamed"], ["target"], ["blamed", "target"], ["mentioned"]. */
export const roleWords = (roles: readonly CountryRole[]): string[] =>
  shownRoles(roles).map((r) => ROLE_WORDS[r]);

export interface CountryRef {
  code: string;
  name: string;
  roles: CountryRole[];
  /** Regional indicator flag emoji. */
  flag: string;
}

/** One story as shown in a reply or an alert. */
export interface StoryCard {
  /** Short id that `/cyber story <id>` accepts. */
  id: string;
  date: string;
  dateEstimated: boolean;
  title: string;
  summary: string;
  actors: ActorRef[];
  countries: CountryRef[];
  /** Sector ids ("healthcare"), malware names ("PlugX") and CVE ids the story was tagged with, when any. */
  sectors?: string[];
  malware?: string[];
  cves?: string[];
  /** File name or URL the story came from. */
  source: string;
  url: string | null;
  /** How many other sources reported the same event ("+2 sources"); absent or 0 when none. */
  sources?: number;
  /** A line specific to the question, e.g. "New Zealand: mentioned" or "blamed". */
  note?: string;
}

export interface ReplyField {
  label: string;
  value: string;
  inline?: boolean;
}

/** A picture an answer carries (a trend chart): PNG bytes, and the words for those who cannot see it. */
export interface ReplyImage {
  /** The attachment's file name, e.g. "trend.png". */
  fileName: string;
  png: Uint8Array;
  width: number;
  height: number;
  title: string;
  /** What the picture shows, in words (screen readers; Slack's alt_text; Discord's attachment description). */
  alt: string;
  /** The series drawn, for a text rendering (the console's sparkline): Mondays of the weeks and their counts. */
  weeks: string[];
  counts: number[];
}

export type ReplyKind = "answer" | "help" | "usage" | "empty" | "refused" | "error" | "notice";

/** A platform-neutral answer to a command (or a notice posted in a channel). */
export interface Reply {
  kind: ReplyKind;
  headline: string;
  /** Paragraphs of plain text (no markup; adapters escape it). */
  text: string[];
  fields: ReplyField[];
  stories: StoryCard[];
  /** A closing hint, e.g. "12 more: /cyber latest 20". */
  footer?: string;
  /** Must be visible only to the asker (help, usage, errors, refusals). When false, the adapter's visibility setting decides. */
  private: boolean;
  /** Set on internal errors; the same id is in the log. */
  errorId?: string;
  /** A chart to show with the answer; adapters upload or attach it (`/cyber trend`). */
  image?: ReplyImage;
}

/** Regional-indicator flag for an ISO alpha-2 code ("NZ" → 🇳🇿); empty for anything else. */
export function flagEmoji(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return "";
  const base = 0x1f1e6 - 65;
  const up = code.toUpperCase();
  return String.fromCodePoint(base + up.charCodeAt(0), base + up.charCodeAt(1));
}

export function actorRefs(story: StorySummary): ActorRef[] {
  return story.actors.map((a) => {
    const alias = a.matched.find((m) => m.text.toLowerCase() !== a.name.toLowerCase())?.text;
    const used = a.matched.some((m) => m.text.toLowerCase() === a.name.toLowerCase());
    return used || !alias ? { id: a.id, name: a.name } : { id: a.id, name: a.name, alias };
  });
}

export function countryRefs(story: StorySummary): CountryRef[] {
  // Blamed countries first, then attacked ones: they are what a reader scans for.
  const rank = (roles: CountryRole[]) => (roles.includes("sponsor") ? 0 : roles.includes("target") ? 1 : 2);
  return [...story.countries]
    .sort((a, b) => rank(a.roles) - rank(b.roles))
    .map((c) => ({ code: c.code, name: c.name, roles: c.roles, flag: flagEmoji(c.code) }));
}

/**
 * Where a story came from, as a reader names it: a feed story (its path is the item's link, not a file) by the
 * feed's name; a file story by its URL when it has one, else its source and file name.
 */
function sourceOf(story: StorySummary): string {
  if (isFeedKey(story.path)) return story.source ?? story.url ?? story.path;
  return story.url ?? (story.source ? `${story.source} (${basename(story.path)})` : basename(story.path));
}

export function storyCard(story: StorySummary, note?: string): StoryCard {
  const card: StoryCard = {
    id: story.id,
    date: story.date,
    dateEstimated: story.dateEstimated,
    title: story.title,
    summary: story.summary,
    actors: actorRefs(story),
    countries: countryRefs(story),
    source: sourceOf(story),
    url: story.url,
  };
  if (story.sectors?.length) card.sectors = story.sectors.map((t) => t.id);
  if (story.malware?.length) card.malware = story.malware.map((t) => t.name);
  if (story.cves?.length) card.cves = [...story.cves];
  if (story.sources) card.sources = story.sources;
  if (note) card.note = note;
  return card;
}
