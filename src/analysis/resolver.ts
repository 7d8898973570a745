// Name lookups for the command layer: exact resolution, did-you-mean by edit distance, and prefix search.

import type { NameMatch } from "./types.js";

export interface NameRow {
  kind: "actor" | "country";
  id: string;
  label: string;
  alias: string;
  /** Lowercase, spaces and punctuation removed: "APT-40" -> "apt40". */
  compact: string;
  /** Position among the actor's or country's names: main names first. */
  rank: number;
}

export const compactKey = (text: string): string =>
  text
    .normalize("NFD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");

/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}

const toNameMatch = (r: NameRow): NameMatch => ({ kind: r.kind, id: r.id, label: r.label, alias: r.alias });

function bestPerId(rows: { row: NameRow; score: number }[], limit: number, length = 0): NameMatch[] {
  // Same distance: the name closest in length to the query, then the shorter, then alphabetical.
  const gap = (r: NameRow) => Math.abs(r.compact.length - length);
  rows.sort(
    (x, y) =>
      x.score - y.score ||
      gap(x.row) - gap(y.row) ||
      x.row.alias.length - y.row.alias.length ||
      x.row.alias.localeCompare(y.row.alias),
  );
  const seen = new Set<string>();
  const out: NameMatch[] = [];
  for (const { row } of rows) {
    const key = `${row.kind}:${row.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(toNameMatch(row));
    if (out.length >= limit) break;
  }
  return out;
}

/** Closest names within roughly a third of the query's length in edits. */
export function suggest(rows: readonly NameRow[], text: string, limit: number): NameMatch[] {
  const q = compactKey(text);
  if (!q) return [];
  const max = Math.max(1, Math.floor(q.length / 3));
  const hits: { row: NameRow; score: number }[] = [];
  for (const row of rows) {
    const d = editDistance(q, row.compact, max);
    if (d <= max) hits.push({ row, score: d });
  }
  return bestPerId(hits, limit, q.length);
}

/** Names starting with the typed text; `sorted` must be ordered by `compact`. */
export function prefixSearch(sorted: readonly NameRow[], text: string, limit: number): NameMatch[] {
  const q = compactKey(text);
  if (!q) return [];
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as NameRow).compact < q) lo = mid + 1;
    else hi = mid;
  }
  const hits: { row: NameRow; score: number }[] = [];
  for (let i = lo; i < sorted.length; i++) {
    const row = sorted[i] as NameRow;
    if (!row.compact.startsWith(q)) break;
    // Exact names first, then an actor's or country's main names (Kryptonite Panda before Turla's Krypton).
    hits.push({ row, score: row.compact === q ? 0 : 1 + Math.min(row.rank, 20) / 100 });
  }
  return bestPerId(hits, limit);
}
