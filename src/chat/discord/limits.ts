// Discord's message and embed limits, and truncation that keeps every message inside them instead of failing.

import type { APIEmbed, APIEmbedField } from "discord.js";

/** Documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embeds: 10,
  /** Across title, description, field names and values, footer text and author name of every embed. */
  total: 6000,
  content: 2000,
  /** Autocomplete choices: count, name and value length. */
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
} as const;

/** An embed as rendered, plus the "full story" pointer to append if its description has to be cut. */
export interface DraftEmbed extends APIEmbed {
  pointer?: string;
}

const ELLIPSIS = "…";
// Below this a description is not worth keeping partly; shrinking stops there and whole embeds go instead.
const MIN_DESCRIPTION = 160;

/**
 * Cuts `text` to at most `max` UTF-16 units (Discord counts code points, so this never undercounts), ending in
 * `tail`. Prefers a word boundary near the end, and never leaves half a surrogate pair or a dangling escape.
 */
export function clip(text: string, max: number, tail = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max <= tail.length) return tail.slice(0, Math.max(0, max));
  let cut = text.slice(0, max - tail.length);
  const space = cut.search(/\s\S*$/);
  if (space > cut.length * 0.8) cut = cut.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // An odd run of trailing backslashes would escape the tail (the text is markdown-escaped before clipping).
  const slashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (slashes % 2 === 1) cut = cut.slice(0, -1);
  return cut.trimEnd() + tail;
}

/** Like `clip`, but says where the rest is: "… full story: /cyber story ab12". */
export function clipWithPointer(text: string, max: number, pointer: string | undefined): string {
  if (text.length <= max || pointer === undefined) return clip(text, max);
  const tail = `${ELLIPSIS}\n${pointer}`;
  return tail.length >= max ? clip(text, max) : clip(text, max, tail);
}

/** The characters Discord counts toward the 6,000 total of one embed. */
export function embedLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0);
  n += (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

export function totalLength(embeds: APIEmbed[]): number {
  return embeds.reduce((sum, e) => sum + embedLength(e), 0);
}

function fitField(f: APIEmbedField): APIEmbedField | null {
  const name = clip(f.name.trim(), LIMITS.fieldName);
  const value = clip(f.value.trim(), LIMITS.fieldValue);
  // Discord rejects empty field names and values outright.
  if (name === "" || value === "") return null;
  return f.inline === undefined ? { name, value } : { name, value, inline: f.inline };
}

/** Applies the per-embed limits and strips the draft-only `pointer`. */
export function fitEmbed(draft: DraftEmbed): APIEmbed {
  const { pointer, ...e } = draft;
  const out: APIEmbed = { ...e };
  if (e.title !== undefined) out.title = clip(e.title, LIMITS.title);
  if (e.description !== undefined)
    out.description = clipWithPointer(e.description, LIMITS.description, pointer);
  if (e.author) out.author = { ...e.author, name: clip(e.author.name, LIMITS.author) };
  if (e.footer) out.footer = { ...e.footer, text: clip(e.footer.text, LIMITS.footer) };
  if (e.fields) {
    const fields = e.fields.map(fitField).filter((f): f is APIEmbedField => f !== null);
    if (fields.length > 0) out.fields = fields.slice(0, LIMITS.fields);
    else delete out.fields;
  }
  for (const key of ["title", "description"] as const) if (out[key] === "") delete out[key];
  return out;
}

/** What `fitMessage` had to leave out, so the caller can say so. */
export interface FitResult {
  embeds: APIEmbed[];
  /** Embeds dropped from the end to respect the count or the 6,000 total. */
  dropped: number;
}

/**
 * Fits a message's embeds into Discord's limits: per-embed limits first, then at most 10 embeds, then the
 * 6,000-character total by shortening the longest descriptions (each keeps its pointer), then by dropping
 * trailing embeds (never the first), and as a last resort by shortening the first embed's fields.
 */
export function fitMessage(drafts: DraftEmbed[]): FitResult {
  const kept = drafts.slice(0, LIMITS.embeds);
  let dropped = drafts.length - kept.length;
  const embeds = kept.map(fitEmbed);
  const pointers = kept.map((d) => d.pointer);

  while (totalLength(embeds) > LIMITS.total) {
    const excess = totalLength(embeds) - LIMITS.total;
    const i = longestDescription(embeds);
    const desc = i >= 0 ? (embeds[i]?.description ?? "") : "";
    if (desc.length > MIN_DESCRIPTION) {
      const target = Math.max(MIN_DESCRIPTION, desc.length - excess);
      (embeds[i] as APIEmbed).description = clipWithPointer(desc, target, pointers[i]);
      continue;
    }
    if (embeds.length > 1) {
      embeds.pop();
      pointers.pop();
      dropped++;
      continue;
    }
    shrinkLast(embeds[0] as APIEmbed, excess);
  }
  return { embeds, dropped };
}

function longestDescription(embeds: APIEmbed[]): number {
  let best = -1;
  let len = MIN_DESCRIPTION;
  embeds.forEach((e, i) => {
    const n = e.description?.length ?? 0;
    if (n > len) {
      best = i;
      len = n;
    }
  });
  return best;
}

// One embed alone over 6,000 only happens with many long fields: trim the longest field, or drop the last.
function shrinkLast(e: APIEmbed, excess: number): void {
  const fields = e.fields ?? [];
  let longest: APIEmbedField | undefined;
  for (const f of fields) if (!longest || f.value.length > longest.value.length) longest = f;
  if (longest && longest.value.length > 64) {
    longest.value = clip(longest.value, Math.max(64, longest.value.length - excess));
  } else if (fields.length > 0) {
    fields.pop();
  } else {
    // Title, author and footer alone are at most 2,560 characters: description must be the culprit.
    e.description = clip(e.description ?? "", Math.max(0, (e.description?.length ?? 0) - excess));
  }
}
