// A digest's synchronous `build` (store/digests.ts DigestTx) over PostgreSQL's asynchronous queries, by record and
// replay: build runs against the answers fetched so far; a lookup with no answer yet stops it (an internal marker
// is thrown), that one answer is fetched, and build runs again from the start. Build is pure, so each run sees the
// same answers and asks the same questions; a digest makes three lookups at most (the period's stories, a keyword's
// phrase, the event sizes), so it runs four times at most.

import type { DigestCandidate, DigestTx, NewDigest } from "../digests.js";

/** A lookup build made, as data. */
export type DigestAsk =
  | { kind: "between"; start: number; end: number }
  | { kind: "sizes"; events: number[] }
  | { kind: "phrase"; phrase: string; rowids: number[] };

/** What answers each kind of lookup. */
export interface DigestAnswers {
  between(start: number, end: number): Promise<DigestCandidate[]>;
  sizes(events: readonly number[]): Promise<Map<number, number>>;
  phrase(phrase: string, rowids: readonly number[]): Promise<Set<number>>;
}

/** Lookups fetched before giving up: far more than a digest makes (three); only a build that is not pure stops. */
export const MAX_LOOKUPS = 12;

/** Thrown inside build for a lookup not answered yet; never leaves `replay`. */
class Unanswered {
  constructor(
    readonly key: string,
    readonly ask: DigestAsk,
  ) {}
}

/** Answers recorded so far, by their lookup's key; a lookup not in it stops the run. */
class ReplayTx implements DigestTx {
  constructor(private readonly answers: ReadonlyMap<string, unknown>) {}

  private answer<T>(ask: DigestAsk): T {
    const key = JSON.stringify(ask);
    if (!this.answers.has(key)) throw new Unanswered(key, ask);
    return this.answers.get(key) as T;
  }

  ingestedBetween(start: number, end: number): DigestCandidate[] {
    return this.answer({ kind: "between", start, end });
  }

  eventSizes(events: readonly number[]): Map<number, number> {
    return this.answer({ kind: "sizes", events: [...events] });
  }

  withPhrase(phrase: string, rowids: readonly number[]): Set<number> {
    return this.answer({ kind: "phrase", phrase, rowids: [...rowids] });
  }
}

/** `build`'s result, its lookups answered by `answers` (one query per lookup); throws what build throws. */
export async function replay(
  build: (tx: DigestTx) => NewDigest | null,
  answers: DigestAnswers,
): Promise<NewDigest | null> {
  const known = new Map<string, unknown>();
  const tx = new ReplayTx(known);
  for (;;) {
    let missing: Unanswered;
    try {
      return build(tx);
    } catch (err) {
      if (!(err instanceof Unanswered)) throw err;
      missing = err;
    }
    if (known.size >= MAX_LOOKUPS)
      throw new Error(`a digest's gathering made more than ${MAX_LOOKUPS} lookups: is it not pure?`);
    known.set(missing.key, await fetch(answers, missing.ask));
  }
}

function fetch(answers: DigestAnswers, ask: DigestAsk): Promise<unknown> {
  switch (ask.kind) {
    case "between":
      return answers.between(ask.start, ask.end);
    case "sizes":
      return answers.sizes(ask.events);
    case "phrase":
      return answers.phrase(ask.phrase, ask.rowids);
  }
}
