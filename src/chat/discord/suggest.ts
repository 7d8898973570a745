// Autocomplete for `/cyber` on Discord: the command layer's suggestions, plus the tag forms it does not offer
// (`sector:<id>` from the fixed sector list and a typed CVE id as `cve:CVE-...`).

import { SECTORS } from "../../core/article.js";
import type { Suggestion } from "../types.js";

export type Suggest = (partial: string, limit: number) => Suggestion[];

const CVE = /^cve-\d{4}-\d{4,}$/i;
const FORM = /^(sector|cve):(.*)$/i;
/** Sectors offered for a bare word only from this many letters on ("he" is too little to mean healthcare). */
const BARE_MIN = 3;

/** The sector ids that start with `text`, then those that contain it ("infra" → critical-infrastructure). */
export function sectorsFor(text: string): string[] {
  const t = text.trim().toLowerCase();
  const starts = SECTORS.filter((s) => s.startsWith(t));
  const contains = SECTORS.filter((s) => !s.startsWith(t) && s.includes(t));
  return [...starts, ...contains];
}

const sectorChoice = (prefix: string, id: string): Suggestion => ({
  label: `${prefix}sector:${id}`,
  value: `${prefix}sector:${id}`,
});

/**
 * The forms the command layer's `base` suggestions lack, for what was typed after an optional verb
 * (`subscribe sector:he`, `cve:cve-2024-3400`, a bare `health` or `CVE-2024-3400`); the rest (actors, countries
 * under `country:`/`sponsor:`/`target:`, malware) is `base`'s.
 */
export function suggestTags(base: Suggest, partial: string, limit: number): Suggestion[] {
  const text = partial
    .replace(/\p{Cc}/gu, "")
    .trimStart()
    .slice(0, 100);
  const words = text.split(/\s+/);
  const prefix = words.length > 1 ? `${words[0]} ` : "";
  const typed = prefix ? words.slice(1).join(" ") : text;
  const form = FORM.exec(typed);
  if (form) {
    const kind = (form[1] ?? "").toLowerCase();
    const rest = form[2] ?? "";
    if (kind === "sector")
      return sectorsFor(rest)
        .slice(0, limit)
        .map((id) => sectorChoice(prefix, id));
    return CVE.test(rest.trim()) ? [cveChoice(prefix, rest)] : [];
  }
  const extra: Suggestion[] = [];
  const bare = typed.trim();
  if (CVE.test(bare)) extra.push(cveChoice(prefix, bare));
  else if (bare.length >= 2 && "sector:".startsWith(bare.toLowerCase())) {
    extra.push(...SECTORS.map((id) => sectorChoice(prefix, id)));
  } else if (bare.length >= BARE_MIN && !bare.includes(":")) {
    extra.push(...sectorsFor(bare).map((id) => sectorChoice(prefix, id)));
  }
  // The command layer's own suggestions first; the extra forms fill the room it leaves.
  const own = base(partial, limit);
  return [...own, ...extra].slice(0, limit);
}

const cveChoice = (prefix: string, id: string): Suggestion => {
  const value = `${prefix}cve:${id.trim().toUpperCase()}`;
  return { label: value, value };
};
