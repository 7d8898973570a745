// The /cyber command's words: the text cleaned and split, tags as typed, and a trailing page number.

import { CVE_ID } from "../core/tags.js";
import { normaliseText } from "../core/text.js";

export type TagKind = "actor" | "country" | "sponsor" | "target" | "sector" | "malware" | "cve" | "keyword";

/**
 * A tag as typed: `actor:apt40`, `country:"new zealand"`, `sponsor:cn`, `target:nz`, `sector:healthcare`,
 * `malware:plugx`, `cve:CVE-2024-3400`, `keyword:"electoral commission"`, or `all` (subscriptions).
 */
export type TagArg = { kind: TagKind | "any"; value: string } | { kind: "all" };

/** Split on whitespace; double quotes (straight or curly) group words; an unclosed quote runs to the end. */
export function splitWords(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  let hadQuote = false;
  for (const ch of text) {
    if (ch === '"' || ch === "“" || ch === "”") {
      quoted = !quoted;
      hadQuote = true;
      continue;
    }
    if (!quoted && /\s/u.test(ch)) {
      if (current || hadQuote) tokens.push(current);
      current = "";
      hadQuote = false;
      continue;
    }
    current += ch;
  }
  if (current || hadQuote) tokens.push(current);
  return tokens.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Control characters become spaces; invisible format characters go (the rule article text follows too). */
export function clean(text: string): string {
  return normaliseText(text)
    .replace(/\p{Cc}/gu, " ")
    .replace(/^\s*\/?cyber\b/i, "")
    .trim();
}

export const TAG_RE = /^(actor|country|sponsor|target|sector|malware|cve|keyword|tag):(.*)$/i;

/**
 * `actor:apt40` → a tag; `all` → all; a bare CVE id (`cve-2024-3400`) → that CVE; anything else → a bare name
 * resolved actor first, then country.
 */
export function parseTag(words: string[]): TagArg | null {
  const joined = words.join(" ").trim();
  if (!joined) return null;
  if (joined.toLowerCase() === "all" || joined === "*") return { kind: "all" };
  const m = TAG_RE.exec(joined);
  if (m) {
    const value = (m[2] ?? "").trim();
    if (!value) return null;
    const k = (m[1] ?? "").toLowerCase();
    return { kind: k === "tag" ? "any" : (k as TagKind), value };
  }
  if (CVE_ID.test(joined)) return { kind: "cve", value: joined };
  return { kind: "any", value: joined };
}

/** A trailing `page N` (or `p2`) selects older results. */
export function takePage(words: string[]): { words: string[]; page: number } {
  const n = words.length;
  const last = words[n - 1]?.toLowerCase() ?? "";
  if (n >= 2 && words[n - 2]?.toLowerCase() === "page" && /^\d{1,4}$/.test(last)) {
    return { words: words.slice(0, -2), page: Math.max(1, Number(last)) };
  }
  const short = /^p(\d{1,4})$/.exec(last);
  if (short && n >= 2) return { words: words.slice(0, -1), page: Math.max(1, Number(short[1])) };
  return { words, page: 1 };
}
