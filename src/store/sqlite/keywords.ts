// Keyword watches: phrases found in a story's title or body with the word forms of full-text search, because
// both are read by SQLite's own tokenizer (porter unicode61, as stories_fts): no regular expression, no stemmer
// of ours, and linear in the text.

import type Database from "better-sqlite3";
import { keywordOf, type TagKey } from "../../core/tags.js";
import { MAX_PHRASE_WORDS } from "../subscriptions.js";

type Sql = (text: string) => Database.Statement;

/** The tokenizer of stories_fts (migration 1): the same words, the same forms. */
export const SEARCH_TOKENIZER = "porter unicode61 remove_diacritics 2";

/** A phrase as one FTS5 string literal ("" escapes a quote): no query syntax is ever interpreted. */
export const ftsPhrase = (phrase: string): string => `"${phrase.replace(/"/g, '""')}"`;

/** The active streamed keyword watches: a range of the partial index subscriptions_route. */
const WATCHED = `SELECT DISTINCT tag FROM subscriptions
  WHERE state = 'active' AND mode = 'stream' AND tag >= 'keyword:' AND tag < 'keyword;'`;

/** Phrases whose tokens are kept between saves; past it the cache starts again (it is only a cache). */
const CACHED_PHRASES = 20_000;

/**
 * Which phrases occur in these texts: each text is a list of tokens in order (title, body); a phrase is its
 * tokens, all of which must follow one another in one text. The texts' token positions are indexed once; each
 * phrase is then tried only where its rarest word occurs (a phrase with a word the text lacks costs a lookup per
 * word), so the cost is the text's length plus, per phrase, that word's occurrences times its length (capped).
 */
export function phraseHits(
  texts: ReadonlyArray<readonly string[]>,
  phrases: ReadonlyMap<string, readonly string[]>,
): string[] {
  const at = texts.map((tokens) => {
    const index = new Map<string, number[]>();
    tokens.forEach((t, i) => {
      const list = index.get(t);
      if (list) list.push(i);
      else index.set(t, [i]);
    });
    return index;
  });
  const found = (tokens: readonly string[], index: Map<string, number[]>, words: readonly string[]) => {
    let anchor = -1;
    let fewest: number[] = [];
    for (let k = 0; k < words.length; k++) {
      const positions = index.get(words[k] as string);
      if (!positions) return false;
      if (anchor < 0 || positions.length < fewest.length) [anchor, fewest] = [k, positions];
    }
    return fewest.some((p) => p >= anchor && words.every((w, k) => tokens[p - anchor + k] === w));
  };
  const hits: string[] = [];
  for (const [key, words] of phrases) {
    if (words.length === 0 || words.length > MAX_PHRASE_WORDS * 2) continue;
    if (texts.some((tokens, n) => found(tokens, at[n] as Map<string, number[]>, words))) hits.push(key);
  }
  return hits;
}

/**
 * Tokenizes with a contentless FTS5 table in the connection's temp schema and its `instance` vocabulary: each
 * call indexes the texts, reads their tokens back in order, and empties the table (inside the caller's
 * transaction, so nothing of it outlives the save).
 */
export class KeywordScanner {
  private readonly phraseTokens = new Map<string, string[]>();

  constructor(
    private readonly db: Database.Database,
    private readonly sql: Sql,
  ) {}

  /**
   * The keys of the active streamed keyword watches found in the story's title or body; `story` is read only
   * when some watch exists (most stores have none: routing a story then costs one index probe here).
   */
  hits(story: () => { title: string; body: string } | undefined): TagKey[] {
    const keys = this.sql(WATCHED).pluck().all() as TagKey[];
    if (keys.length === 0) return [];
    const text = story();
    if (!text) return [];
    const { title, body } = text;
    const unknown = keys.filter((k) => !this.phraseTokens.has(k));
    if (this.phraseTokens.size + unknown.length > CACHED_PHRASES) this.phraseTokens.clear();
    const docs = this.tokenize([
      title,
      body,
      ...keys.filter((k) => !this.phraseTokens.has(k)).map(phraseText),
    ]);
    const fresh = keys.filter((k) => !this.phraseTokens.has(k));
    fresh.forEach((k, i) => {
      this.phraseTokens.set(k, docs[i + 2] ?? []);
    });
    const phrases = new Map(keys.map((k) => [k, this.phraseTokens.get(k) ?? []] as const));
    return phraseHits([docs[0] ?? [], docs[1] ?? []], phrases) as TagKey[];
  }

  /** Each text's tokens in order, as full-text search indexes them. */
  private tokenize(texts: readonly string[]): string[][] {
    // Made on first use in the caller's transaction, so looked for each time: a rollback takes them away too.
    const made = this.sql(
      "SELECT count(*) FROM temp.sqlite_master WHERE name IN ('keyword_text', 'keyword_tokens')",
    );
    if (made.pluck().get() !== 2)
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.keyword_text USING fts5(t, content='', tokenize='${SEARCH_TOKENIZER}');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.keyword_tokens USING fts5vocab(temp, keyword_text, instance);`);
    const insert = this.sql("INSERT INTO temp.keyword_text (rowid, t) VALUES (?, ?)");
    texts.forEach((t, i) => {
      insert.run(i + 1, t);
    });
    const out: string[][] = texts.map(() => []);
    const rows = this.sql("SELECT term, doc, offset FROM temp.keyword_tokens").raw().all() as Array<
      [string, number, number]
    >;
    for (const [term, doc, offset] of rows) {
      const tokens = out[doc - 1];
      if (tokens) tokens[offset] = term;
    }
    this.sql("INSERT INTO temp.keyword_text (keyword_text) VALUES ('delete-all')").run();
    return out;
  }
}

const phraseText = (key: TagKey): string => keywordOf(key) ?? "";

/** Which of these stories (rowids) contain the phrase, by the full-text index itself (digests and /cyber why). */
export function storiesWithPhrase(sql: Sql, phrase: string, rowids: readonly number[]): Set<number> {
  if (rowids.length === 0 || !/[\p{L}\p{N}]/u.test(phrase)) return new Set();
  // CAST: a JavaScript number is bound as a REAL, and FTS5 does not then keep to that one rowid.
  const stmt = sql(
    "SELECT 1 FROM stories_fts WHERE stories_fts MATCH ? AND rowid = CAST(? AS INTEGER)",
  ).pluck();
  const query = ftsPhrase(phrase);
  return new Set(rowids.filter((r) => stmt.get(query, r) !== undefined));
}
