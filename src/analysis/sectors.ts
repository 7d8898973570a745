// Victims' sectors: one pass over an article's tokens finding sector words near attack words in a sentence.

import { type Evidence, SECTORS, type SectorId, type SectorTag } from "../core/article.js";
import {
  AGENT_WORDS,
  ATTACK_TERMS,
  NOT_SECTOR_TERMS,
  SECTOR_TERMS,
  SPEAKER_WORDS,
  WEAK_SECTOR_TERMS,
} from "./sector-terms.js";
import { surface } from "./surface.js";
import { hashKey, phraseKeys, SENT, type Tokens } from "./tokenizer.js";
import { type Match, TokenTrie } from "./trie.js";

/** A sector cue counts within this many tokens of an attack word in its sentence. */
const WINDOW = 12;
/** A weak cue ("government") counts only this close after an attack word: "attacks on the Australian government". */
const WEAK_WINDOW = 4;
const ATTACK = -2;
const NOT = -1;

/** What a vocabulary phrase is: a sector's cue (index into SECTORS), an attack word, or an ordinary phrase (NOT). */
interface Term {
  kind: number;
  weak: boolean;
}

const hashSet = (words: string): Set<number> => new Set(words.split(/\s+/).filter(Boolean).map(hashKey));

/** The compiled sector vocabulary; `scan` tags one text (body or title) into a SectorScan. */
export class SectorVocabulary {
  private readonly trie = new TokenTrie<Term>();
  private readonly matches: Match<Term>[] = [];
  private readonly speakers = hashSet(SPEAKER_WORDS);
  private readonly agents = hashSet(AGENT_WORDS);
  // Per-sentence scratch, reused: attack word positions, and cues as (first, last, sector, weak) quads.
  private attacks = new Int32Array(64);
  private attackCount = 0;
  private cues = new Int32Array(256);
  private cueCount = 0;

  constructor() {
    for (const [lines, weak] of [
      [SECTOR_TERMS, false],
      [WEAK_SECTOR_TERMS, true],
    ] as const) {
      for (const line of lines.split("\n")) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const sector = SECTORS.indexOf(line.slice(0, colon).trim() as SectorId);
        if (sector < 0) throw new Error(`unknown sector in the sector vocabulary: ${line}`);
        this.add(line.slice(colon + 1), { kind: sector, weak });
      }
    }
    this.add(ATTACK_TERMS.replace(/\n/g, "|"), { kind: ATTACK, weak: false });
    this.add(NOT_SECTOR_TERMS.replace(/\n/g, "|"), { kind: NOT, weak: false });
  }

  private add(forms: string, term: Term): void {
    for (const f of forms.split("|")) this.trie.insert(phraseKeys(f), term, true);
  }

  /** Adds the sectors of `t` to `out`; `offsetBase` -1 marks title evidence. Linear in the tokens. */
  scan(t: Tokens, offsetBase: number, out: SectorScan): void {
    const { flags } = t;
    const matches = this.matches;
    matches.length = 0;
    // Leftmost-longest: "military intelligence" (NOT) hides "military", "government systems" beats "government".
    this.trie.matchAll(t, matches);
    this.attackCount = 0;
    this.cueCount = 0;
    let k = 0;
    for (const m of matches) {
      // A sentence starts between the previous match and this one: decide the previous sentence's cues.
      for (; k <= m.first; k++) if (((flags[k] as number) & SENT) !== 0) this.flush(t, offsetBase, out);
      k = m.last + 1;
      const term = m.entries[0] as Term;
      if (term.kind === ATTACK) this.addAttack(m.first);
      else if (term.kind >= 0 && !this.speaker(t, m.last)) this.addCue(m.first, m.last, term.kind, term.weak);
    }
    this.flush(t, offsetBase, out);
  }

  private addAttack(i: number): void {
    if (this.attackCount === this.attacks.length) this.attacks = grow(this.attacks);
    this.attacks[this.attackCount++] = i;
  }

  private addCue(first: number, last: number, sector: number, weak: boolean): void {
    if (this.cueCount * 4 === this.cues.length) this.cues = grow(this.cues);
    const at = this.cueCount++ * 4;
    this.cues[at] = first;
    this.cues[at + 1] = last;
    this.cues[at + 2] = sector;
    this.cues[at + 3] = weak ? 1 : 0;
  }

  /** "the ministry said": the cue speaks, it is not the victim. */
  private speaker(t: Tokens, last: number): boolean {
    return last + 1 < t.n && this.speakers.has(t.hash[last + 1] as number);
  }

  /** Decides the sentence's cues against its attack words, then forgets both. */
  private flush(t: Tokens, offsetBase: number, out: SectorScan): void {
    const cues = this.cues;
    if (this.attackCount > 0) {
      for (let c = 0; c < this.cueCount * 4; c += 4) {
        const first = cues[c] as number;
        const last = cues[c + 1] as number;
        if (this.accepted(t, first, last, cues[c + 3] === 1)) {
          out.add(cues[c + 2] as number, evidence(t, first, last, offsetBase));
        }
      }
    }
    this.attackCount = 0;
    this.cueCount = 0;
  }

  private accepted(t: Tokens, first: number, last: number, weak: boolean): boolean {
    for (let i = 0; i < this.attackCount; i++) {
      const a = this.attacks[i] as number;
      if (weak) {
        if (a >= first || first - a > WEAK_WINDOW) continue;
        let agent = false;
        for (let k = a + 1; k < first && !agent; k++) agent = this.agents.has(t.hash[k] as number);
        if (!agent) return true;
      } else if (a < first ? first - a <= WINDOW : a - last <= WINDOW) {
        return true;
      }
    }
    return false;
  }
}

/** The sectors found in one article: evidence per sector, body and title. */
export class SectorScan {
  private readonly found = new Map<number, Evidence[]>();

  add(sector: number, e: Evidence): void {
    const list = this.found.get(sector);
    if (list) list.push(e);
    else this.found.set(sector, [e]);
  }

  /** One tag per sector: its body evidence (title evidence only when the body has none), by first mention. */
  tags(): SectorTag[] {
    const tags: SectorTag[] = [];
    for (const [sector, evidence] of this.found) {
      const body = evidence.filter((e) => e.offset >= 0).sort((a, b) => a.offset - b.offset);
      const matched = body.length > 0 ? body : evidence.slice(0, 1);
      tags.push({ id: SECTORS[sector] as SectorId, matched });
    }
    const first = (s: SectorTag) => (s.matched[0] as Evidence).offset;
    return tags.sort((a, b) => first(a) - first(b) || SECTORS.indexOf(a.id) - SECTORS.indexOf(b.id));
  }
}

function evidence(t: Tokens, first: number, last: number, offsetBase: number): Evidence {
  return {
    text: surface(t, first, last),
    offset: offsetBase < 0 ? -1 : (t.start[first] as number) + offsetBase,
  };
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
