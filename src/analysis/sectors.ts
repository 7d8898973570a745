// Victims' sectors: one pass over an article's tokens finding sector words near attack words in a sentence.

import { SECTORS, type SectorId } from "../core/article.js";
import { type Candidates, type FirstTokens, SECTOR } from "./candidates.js";
import { wordSet } from "./cues.js";
import { PhraseTable } from "./phrase-table.js";
import { aside, evidence, type SectorScan } from "./sector-scan.js";
import {
  AGENT_WORDS,
  ATTACK_TERMS,
  BLAME_WORDS,
  NOT_SECTOR_TERMS,
  SECTOR_TERMS,
  SPEAKER_WORDS,
  WEAK_SECTOR_TERMS,
} from "./sector-terms.js";
import { hashKey, phraseKeys } from "./token-keys.js";
import { SENT, type Tokens } from "./tokenizer.js";

/** A sector cue counts within this many tokens of an attack word in its sentence. */
const WINDOW = 12;
/** A weak cue ("government") counts only this close after an attack word: "attacks on the Australian government". */
const WEAK_WINDOW = 4;
/** Phrase values: a sector's cue is its index in SECTORS times two, plus one when weak. */
const ATTACK = 1000;
const NOT = 1001;
const UNKNOWN = -1;

const hashSet = wordSet;

/** The compiled sector vocabulary; `scan` tags one text (body or title) into a SectorScan. */
export class SectorVocabulary {
  private readonly table = new PhraseTable();
  private readonly speakers = hashSet(SPEAKER_WORDS);
  private readonly agents = hashSet(AGENT_WORDS);
  private readonly blames = hashSet(BLAME_WORDS);
  private readonly firstTokens = new Set<number>();
  // Per-sentence scratch, reused: attack word positions, and cues as (first, last, sector, weak) quads.
  private attacks = new Int32Array(64);
  /** Per attack word: UNKNOWN until `spelledAttack` checks it, then 1 when spelled out as one, else 0. */
  private attackSpelled = new Int32Array(64);
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
        this.add(line.slice(colon + 1), sector * 2 + (weak ? 1 : 0));
      }
    }
    this.add(ATTACK_TERMS.replace(/\n/g, "|"), ATTACK);
    this.add(NOT_SECTOR_TERMS.replace(/\n/g, "|"), NOT);
  }

  private add(forms: string, value: number): void {
    for (const f of forms.split("|")) {
      const keys = phraseKeys(f);
      this.table.insert(keys, value);
      if (keys.length > 0) this.firstTokens.add(hashKey(keys[0] as string));
    }
  }

  /** Marks the first token of every phrase in `first`. */
  markFirstTokens(first: FirstTokens): void {
    for (const h of this.firstTokens) first.mark(h, SECTOR);
  }

  /**
   * Adds the sectors of `t` to `out`; `offsetBase` -1 marks title evidence. Linear in the tokens; with
   * `candidates`, only those tokens are visited (a sentence ends where their sentence number changes).
   */
  scan(t: Tokens, offsetBase: number, out: SectorScan, candidates?: Candidates): void {
    this.attackCount = 0;
    this.cueCount = 0;
    if (candidates) {
      const { at, kinds } = candidates;
      let next = 0;
      let sentence = -1;
      for (let c = 0; c < candidates.n; c++) {
        const i = at[c] as number;
        if (((kinds[c] as number) & SECTOR) === 0 || i < next) continue;
        const s = candidates.sentence[c] as number;
        if (s !== sentence) {
          if (this.cueCount + this.attackCount > 0) this.flush(t, offsetBase, out);
          sentence = s;
        }
        const last = this.scanAt(t, i);
        if (last >= 0) next = last + 1;
      }
    } else {
      const flags = t.flags;
      for (let i = 0; i < t.n; i++) {
        if (((flags[i] as number) & SENT) !== 0 && this.cueCount + this.attackCount > 0)
          this.flush(t, offsetBase, out);
        const last = this.scanAt(t, i);
        if (last >= 0) i = last;
      }
    }
    this.flush(t, offsetBase, out);
  }

  /** Notes the attack word or sector cue starting at token `i`: its last token, or -1 when none starts there. */
  private scanAt(t: Tokens, i: number): number {
    // Leftmost-longest: "military intelligence" (NOT) hides "military", "government systems" beats "government".
    const value = this.table.at(t, i);
    if (value < 0) return -1;
    const last = this.table.end;
    if (value === ATTACK) this.addAttack(i);
    else if (value !== NOT && !this.speaker(t, last)) this.addCue(i, last, value >> 1, (value & 1) === 1);
    return last;
  }

  private addAttack(i: number): void {
    if (this.attackCount === this.attacks.length) {
      this.attacks = grow(this.attacks);
      this.attackSpelled = grow(this.attackSpelled);
    }
    this.attackSpelled[this.attackCount] = UNKNOWN;
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
        const weak = cues[c + 3] === 1;
        const sector = cues[c + 2] as number;
        // The fast match took tokens by hash and length: a cue the rules accept is spelled out before it counts.
        if (!this.accepted(t, first, last, weak)) continue;
        const spelled =
          this.table.at(t, first, true) === sector * 2 + (weak ? 1 : 0) && this.table.end === last;
        if (spelled) out.add(sector, evidence(t, first, last, offsetBase));
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
        for (let k = Math.max(0, a - 3); k < a && !agent; k++) agent = this.blames.has(t.hash[k] as number);
        if (!agent && this.spelledAttack(t, i)) return true;
      } else if (
        (a < first ? first - a <= WINDOW : a - last <= WINDOW && !this.blamed(t, last, a)) &&
        !aside(t, first, last, a) &&
        this.spelledAttack(t, i)
      ) {
        return true;
      }
    }
    return false;
  }

  /** Whether attack word `i` of the sentence is spelled out as one (checked once per sentence, then remembered). */
  private spelledAttack(t: Tokens, i: number): boolean {
    let ok = this.attackSpelled[i] as number;
    if (ok === UNKNOWN) {
      ok = this.table.at(t, this.attacks[i] as number, true) === ATTACK ? 1 : 0;
      this.attackSpelled[i] = ok;
    }
    return ok === 1;
  }

  /** "the Department of Defense have attributed the theft": a blame word between cue and attack word. */
  private blamed(t: Tokens, last: number, a: number): boolean {
    for (let k = last + 1; k < a; k++) if (this.blames.has(t.hash[k] as number)) return true;
    return false;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
