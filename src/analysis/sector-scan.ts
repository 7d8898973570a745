// The sectors found in one article (`SectorScan`), each cue's evidence, and the relative-clause rule that
// keeps a cue set off by commas (", which hosts major military bases,") apart from the attack word.

import { type Evidence, SECTORS, type SectorId, type SectorTag } from "../core/article.js";
import { surface } from "./surface.js";
import { codeAt, hashKey } from "./token-keys.js";
import { SENT, type Tokens } from "./tokenizer.js";

const RELATIVES = new Set(["which", "who", "whose", "where"].map(hashKey));
/** How far a relative clause is followed: ", which hosts major military bases," */
const CLAUSE = 10;

/** Whether a comma ends the text right before token `k`. */
const commaBefore = (t: Tokens, k: number): boolean => codeAt(t, t.end[k - 1] as number) === 44;

/**
 * "Officials in Guam, which hosts major military bases, were among the victims": a cue inside a relative
 * clause set off by commas describes something else; an attack word outside that clause is not about it.
 */
export function aside(t: Tokens, first: number, last: number, a: number): boolean {
  let open = -1;
  for (let k = first; k > first - CLAUSE && k > 0; k--) {
    if (RELATIVES.has(t.hash[k] as number) && commaBefore(t, k)) {
      open = k;
      break;
    }
    if (((t.flags[k] as number) & SENT) !== 0 || (k < first && commaBefore(t, k + 1))) return false;
  }
  if (open < 0) return false;
  if (a < open) return true;
  for (let k = last + 1; k <= last + CLAUSE && k < t.n; k++) {
    if (((t.flags[k] as number) & SENT) !== 0) return false;
    if (commaBefore(t, k)) return a >= k;
  }
  return false;
}

/** The sectors found in one article: evidence per sector; scan the body first, then the title. */
export class SectorScan {
  /** Evidence per sector index, in the order scanned: a body's (ascending offsets) before a title's. */
  private readonly found: (Evidence[] | undefined)[] = [];

  add(sector: number, e: Evidence): void {
    const list = this.found[sector];
    if (list) {
      // Body evidence is enough: a title's adds nothing once the body has the sector.
      if (e.offset >= 0 || (list[0] as Evidence).offset < 0) list.push(e);
    } else this.found[sector] = [e];
  }

  /** One tag per sector: its body evidence (title evidence only when the body has none), by first mention. */
  tags(): SectorTag[] {
    const tags: SectorTag[] = [];
    this.found.forEach((evidence, sector) => {
      if (!evidence) return;
      const matched = (evidence[0] as Evidence).offset < 0 ? evidence.slice(0, 1) : evidence;
      tags.push({ id: SECTORS[sector] as SectorId, matched });
    });
    const first = (s: SectorTag) => (s.matched[0] as Evidence).offset;
    return tags.sort((a, b) => first(a) - first(b) || SECTORS.indexOf(a.id) - SECTORS.indexOf(b.id));
  }
}

export function evidence(t: Tokens, first: number, last: number, offsetBase: number): Evidence {
  return {
    text: surface(t, first, last),
    offset: offsetBase < 0 ? -1 : (t.start[first] as number) + offsetBase,
  };
}
