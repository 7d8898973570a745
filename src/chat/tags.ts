// A story card's sector, malware and CVE tags as every renderer shows them: which lists, and how many fit.

import type { StoryCard } from "./types.js";

export type TagLabel = "Sectors" | "Malware" | "CVEs";

export interface TagList {
  label: TagLabel;
  /** Trimmed, non-blank, each once, each at most ITEM_MAX characters; all of them (fitList cuts). */
  items: string[];
}

/** A tag longer than this is not a name anyone reads: it is cut (a hostile or broken value). */
export const ITEM_MAX = 48;
/** The most tags a list shows, however much room the platform gives: the rest are "+N more". */
export const ITEMS_SHOWN = 12;

/** Cuts a string to `max` UTF-16 units with an ellipsis, never leaving half a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

function clean(items: readonly string[] | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of items ?? []) {
    if (typeof raw !== "string") continue;
    // Control characters and line breaks would break a line of tags (or a terminal): they become spaces.
    const item = cut(
      raw
        .replace(/\p{Cc}+/gu, " ")
        .replace(/\s+/g, " ")
        .trim(),
      ITEM_MAX,
    );
    const key = item.toLowerCase();
    if (item === "" || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** The card's non-empty tag lists in reading order: sectors, malware, CVEs. Absent or empty lists are left out. */
export function tagLists(card: StoryCard): TagList[] {
  const lists: TagList[] = [
    { label: "Sectors", items: clean(card.sectors) },
    { label: "Malware", items: clean(card.malware) },
    { label: "CVEs", items: clean(card.cves) },
  ];
  return lists.filter((l) => l.items.length > 0);
}

export const moreTags = (n: number): string => `+${n} more`;

/**
 * `items` rendered by `render` (the platform's escaping), joined by `sep`, as many as fit in `max` characters
 * (and at most `shown`), then "+N more" for the rest. Always within `max` when `max` holds "+N more".
 */
export function fitList(
  items: readonly string[],
  max: number,
  render: (item: string) => string = (s) => s,
  sep = ", ",
  shown: number = ITEMS_SHOWN,
): string {
  let out = "";
  for (const [i, item] of items.entries()) {
    const left = items.length - i - 1;
    const piece = `${i > 0 ? sep : ""}${render(item)}`;
    const reserve = left > 0 ? sep.length + moreTags(left).length : 0;
    if (i >= shown || out.length + piece.length + reserve > max) {
      const more = moreTags(items.length - i);
      return i > 0 ? `${out}${sep}${more}` : more;
    }
    out += piece;
  }
  return out;
}
