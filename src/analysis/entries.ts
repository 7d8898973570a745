// What a trie match can stand for: an actor alias, a country term, or a blocker phrase.

import type { CaseRule, ContextRule, TermRecord } from "./types.js";

export interface ActorEntry {
  kind: "actor";
  actor: number;
  alias: string;
  match: CaseRule;
  context: ContextRule;
  /** Made of ordinary English words: in a title-cased line its capitals prove nothing. */
  ordinary: boolean;
  /** One ordinary English word: at a sentence start its capital proves nothing. */
  singleWord: boolean;
}

export interface CountryEntry {
  kind: "country";
  country: number;
  term: TermRecord["kind"];
  match: TermRecord["match"];
  /** Surface form for exact terms, trailing dot dropped ("U.S." -> "U.S"). */
  exact: string;
  person: boolean;
  state: boolean;
  cue: boolean;
  intel: boolean;
}

export interface BlockEntry {
  kind: "block";
}

export type Entry = ActorEntry | CountryEntry | BlockEntry;
