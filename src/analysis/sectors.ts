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
import { BREAK, hashKey, phraseKeys, SENT, type Tokens, tokenEquals } from "./tokenizer.js";

/** A sector cue counts within this many tokens of an attack word in its sentence. */
const WINDOW = 12;
/** A weak cue ("government") counts only this close after an attack word: "attacks on the Australian government". */
const WEAK_WINDOW = 4;
const ATTACK = -2;
const NOT = -1;
const FILTER_BITS = 1 << 16;

interface Form {
  keys: string[];
  hashes: number[];
  /** Index into SECTORS, ATTACK, or NOT (an ordinary phrase that hides the cue it starts with). */
  kind: number;
  weak: boolean;
}

interface Cue {
  first: number;
  last: number;
  sector: number;
  weak: boolean;
}

const hashSet = (words: string): Set<number> => new Set(words.split(/\s+/).filter(Boolean).map(hashKey));

/** The compiled sector vocabulary; `scan` tags one text (body or title) into a SectorScan. */
export class SectorVocabulary {
  private readonly filter = new Uint32Array(FILTER_BITS >>> 5);
  private readonly starts = new Map<number, Form[]>();
  private readonly speakers = hashSet(SPEAKER_WORDS);
  private readonly agents = hashSet(AGENT_WORDS);
  // Per-sentence scratch, reused.
  private readonly attacks: number[] = [];
  private readonly cues: Cue[] = [];

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
        this.add(line.slice(colon + 1), sector, weak);
      }
    }
    this.add(ATTACK_TERMS.replace(/\n/g, "|"), ATTACK, false);
    this.add(NOT_SECTOR_TERMS.replace(/\n/g, "|"), NOT, false);
    for (const list of this.starts.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  }

  private add(forms: string, kind: number, weak: boolean): void {
    for (const f of forms.split("|")) {
      const keys = phraseKeys(f);
      if (keys.length === 0) continue;
      const hashes = keys.map(hashKey);
      const first = hashes[0] as number;
      const slot = (first & (FILTER_BITS - 1)) >>> 5;
      this.filter[slot] = (this.filter[slot] as number) | (1 << (first & 31));
      const list = this.starts.get(first);
      const form = { keys, hashes, kind, weak };
      if (list) list.push(form);
      else this.starts.set(first, [form]);
    }
  }

  /** Adds the sectors of `t` to `out`; `offsetBase` -1 marks title evidence. Linear in the tokens. */
  scan(t: Tokens, offsetBase: number, out: SectorScan): void {
    const { n, hash, flags } = t;
    const filter = this.filter;
    this.attacks.length = 0;
    this.cues.length = 0;
    for (let i = 0; i < n; i++) {
      if (((flags[i] as number) & SENT) !== 0) this.flush(t, offsetBase, out);
      const h = hash[i] as number;
      if (((filter[(h & (FILTER_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) === 0) continue;
      const form = this.formAt(t, i);
      if (!form) continue;
      const last = i + form.keys.length - 1;
      if (form.kind === ATTACK) this.attacks.push(i);
      else if (form.kind >= 0 && !this.speaker(t, last)) {
        this.cues.push({ first: i, last, sector: form.kind, weak: form.weak });
      }
      i = last;
    }
    this.flush(t, offsetBase, out);
  }

  /** "the ministry said": the cue speaks, it is not the victim. */
  private speaker(t: Tokens, last: number): boolean {
    return last + 1 < t.n && this.speakers.has(t.hash[last + 1] as number);
  }

  /** Decides the sentence's cues against its attack words, then forgets both. */
  private flush(t: Tokens, offsetBase: number, out: SectorScan): void {
    const { attacks, cues } = this;
    if (attacks.length > 0) {
      for (const cue of cues) if (this.accepted(t, cue)) out.add(cue.sector, evidence(t, cue, offsetBase));
    }
    attacks.length = 0;
    cues.length = 0;
  }

  private accepted(t: Tokens, cue: Cue): boolean {
    for (const a of this.attacks) {
      if (cue.weak) {
        if (a >= cue.first || cue.first - a > WEAK_WINDOW) continue;
        let agent = false;
        for (let k = a + 1; k < cue.first && !agent; k++) agent = this.agents.has(t.hash[k] as number);
        if (!agent) return true;
      } else if (a < cue.first ? cue.first - a <= WINDOW : a - cue.last <= WINDOW) {
        return true;
      }
    }
    return false;
  }

  private formAt(t: Tokens, i: number): Form | undefined {
    const list = this.starts.get(t.hash[i] as number);
    if (!list) return undefined;
    next: for (const form of list) {
      const len = form.keys.length;
      if (i + len > t.n) continue;
      for (let k = 0; k < len; k++) {
        if (k > 0 && ((t.flags[i + k] as number) & BREAK) !== 0) continue next;
        if (t.hash[i + k] !== form.hashes[k] || !tokenEquals(t, i + k, form.keys[k] as string)) continue next;
      }
      return form;
    }
    return undefined;
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

function evidence(t: Tokens, cue: Cue, offsetBase: number): Evidence {
  return {
    text: surface(t, cue.first, cue.last),
    offset: offsetBase < 0 ? -1 : (t.start[cue.first] as number) + offsetBase,
  };
}
