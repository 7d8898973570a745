// Block Kit building blocks shared by the Slack renderers: escaped text, sections, context lines, links, sizes.

import type { types } from "@slack/bolt";
import { shownRoles } from "../../core/cards.js";
import { sourcesNote } from "../outbound.js";
import { fitList, tagLists } from "../tags.js";
import type { StoryCard } from "../types.js";
import { escapeText, LIMITS, type Piece, type SlackBlock, truncate } from "./limits.js";

// Element sizes inside context blocks, kept well under the 3,000 limit so a story's tags and source can never
// crowd out its summary in the 12k aggregate.
const TAGS_MAX = 1000;
/** Sectors, malware and CVE lines are shorter still: a few names, then "+N more". */
export const LIST_MAX = 500;
export const META_MAX = 300;
export const TITLE_MAX = 300;
export const UNTITLED = "Untitled story";

// verbatim: Slack then does no auto-linking or mention parsing of its own on text we took from articles.
export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text, verbatim: true });

// Slack rejects blocks with blank text, so blank parts are left out rather than sent.
export const blank = (text: string) => text.trim().length === 0;

export function header(text: string): SlackBlock[] {
  if (blank(text)) return [];
  return [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(escapeText(text), LIMITS.headerText), emoji: true },
    },
  ];
}

export const section = (text: string): SlackBlock => ({ type: "section", text: mrkdwn(text) });

export function context(...texts: string[]): SlackBlock[] {
  const elements = texts.filter((t) => !blank(t)).slice(0, LIMITS.contextElements);
  return elements.length > 0 ? [{ type: "context", elements: elements.map(mrkdwn) }] : [];
}

export const storyPointer = (id: string): string => `full story: /cyber story ${escapeText(id)}`;

/** A mrkdwn link for http(s) URLs only; the label must already be escaped. */
export function link(url: string | null, label: string): string {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return label;
  return `<${escapeText(url).replace(/\|/g, "%7C")}|${label}>`;
}

/** A section whose text is cut, with a pointer, to fit whatever JSON budget the layout has left. */
export function shrinkable(text: string, pointer?: string): Piece {
  const full = section(truncate(text, LIMITS.sectionText, pointer));
  return {
    blocks: [full],
    shrink: (maxChars) => {
      let limit = Math.min(LIMITS.sectionText, maxChars - JSON.stringify(section("")).length - 1);
      while (limit > 50) {
        const block = section(truncate(text, limit, pointer));
        const over = JSON.stringify(block).length + 1 - maxChars;
        if (over <= 0) return [block];
        limit -= over;
      }
      return null;
    },
  };
}

export function tagTexts(card: StoryCard): string[] {
  const actors = card.actors.map((a) =>
    a.alias && a.alias !== a.name ? `${a.name} (as “${a.alias}”)` : a.name,
  );
  const countries = card.countries.map((c) => `${c.flag} ${c.name} (${shownRoles(c.roles).join(", ")})`);
  return [
    actors.length > 0 ? truncate(`*Actors:* ${escapeText(actors.join(", "))}`, TAGS_MAX) : "",
    countries.length > 0 ? truncate(`*Countries:* ${escapeText(countries.join(", "))}`, TAGS_MAX) : "",
    ...listTexts(card),
  ];
}

/** "*Sectors:* healthcare, research", "*Malware:* PlugX, ShadowPad, +3 more", "*CVEs:* CVE-2024-3400": escaped. */
export function listTexts(card: StoryCard, max = LIST_MAX): string[] {
  return tagLists(card).map(({ label, items }) => {
    const head = `*${label}:* `;
    return head + fitList(items, max - head.length, escapeText);
  });
}

export function metaTexts(card: StoryCard, reason?: string): string[] {
  const date = `${escapeText(card.date)}${card.dateEstimated ? " (date estimated)" : ""}`;
  return [
    date,
    truncate(`Source: ${link(card.url, escapeText(card.source))}`, META_MAX - 16) + sourcesText(card),
    reason ? truncate(`Why: ${escapeText(reason)}`, META_MAX) : "",
    truncate(`/cyber story ${escapeText(card.id)}`, META_MAX),
  ];
}

/** " · *+2 sources*" after a card's source when other sources reported its event. */
function sourcesText(card: StoryCard): string {
  const note = sourcesNote(card.sources);
  return note ? ` · *${note}*` : "";
}

/** The question-specific line ("New Zealand: mentioned"), in italics, kept short. */
export const noteLine = (card: StoryCard) =>
  card.note && !blank(card.note) ? `\n_${truncate(escapeText(card.note), META_MAX)}_` : "";

export function fallback(...parts: Array<string | undefined>): string {
  const text = parts.filter((p): p is string => Boolean(p?.trim())).join(": ");
  return truncate(escapeText(text || "cyberbrief"), LIMITS.fallbackText);
}
