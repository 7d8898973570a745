// Token trie keyed by token hashes, walked once over the text with leftmost-longest matching.

import { CAP, GLUED, hashKey, JOIN, NUM, type Tokens, tokenEquals } from "./tokenizer.js";

interface Node<T> {
  key: string;
  /** Another key that happens to share this node's hash. */
  alt: Node<T> | null;
  next: Map<number, Node<T>> | null;
  entries: T[] | null;
}

export interface Match<T> {
  /** First and last token index, inclusive. */
  first: number;
  last: number;
  entries: T[];
}

// A bitset of first-token hashes rejects most tokens without touching a Map.
const FILTER_BITS = 1 << 20;

export class TokenTrie<T> {
  private readonly root = new Map<number, Node<T>>();
  private readonly filter = new Uint32Array(FILTER_BITS >>> 5);
  /** First tokens of names that may start in lowercase ("apt40"): most prose words are checked only here. */
  private readonly lowerFilter = new Uint32Array(FILTER_BITS >>> 5);
  size = 0;

  insert(keys: readonly string[], entry: T, lowercaseStart = false): void {
    if (keys.length === 0) return;
    let node: Node<T> | undefined;
    for (const key of keys) {
      const h = hashKey(key);
      let map = this.root;
      if (node) {
        if (node.next === null) node.next = new Map();
        map = node.next;
      } else {
        const slot = (h & (FILTER_BITS - 1)) >>> 5;
        this.filter[slot] = (this.filter[slot] as number) | (1 << (h & 31));
        if (lowercaseStart) this.lowerFilter[slot] = (this.lowerFilter[slot] as number) | (1 << (h & 31));
      }
      node = findOrAdd(map, h, key);
    }
    if (!node) return;
    if (node.entries === null) node.entries = [];
    node.entries.push(entry);
    this.size++;
  }

  /** Non-overlapping leftmost-longest matches over `t`, in text order. */
  matchAll(t: Tokens, out: Match<T>[] = []): Match<T>[] {
    const { n, hash, flags } = t;
    for (let i = 0; i < n; i++) {
      const h = hash[i] as number;
      const filter = ((flags[i] as number) & (CAP | NUM)) !== 0 ? this.filter : this.lowerFilter;
      if (((filter[(h & (FILTER_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) === 0) continue;
      // A token glued to the previous one ("40" in "APT40") cannot start a name.
      if (((flags[i] as number) & GLUED) !== 0) continue;
      let node = lookup(this.root, h, t, i);
      let bestEnd = -1;
      let bestEntries: T[] | null = null;
      let j = i;
      while (node) {
        // A name may not end inside a glued run ("APT40s" is not "APT40").
        const endsClean = j + 1 >= n || ((flags[j + 1] as number) & GLUED) === 0;
        if (node.entries !== null && endsClean) {
          bestEnd = j;
          bestEntries = node.entries;
        }
        if (node.next === null || j + 1 >= n || ((flags[j + 1] as number) & JOIN) === 0) break;
        j++;
        node = lookup(node.next, hash[j] as number, t, j);
      }
      if (bestEntries !== null) {
        out.push({ first: i, last: bestEnd, entries: bestEntries });
        i = bestEnd;
      }
    }
    return out;
  }
}

function findOrAdd<T>(map: Map<number, Node<T>>, h: number, key: string): Node<T> {
  let node = map.get(h);
  if (!node) {
    node = { key, alt: null, next: null, entries: null };
    map.set(h, node);
    return node;
  }
  for (;;) {
    if (node.key === key) return node;
    if (node.alt === null) {
      node.alt = { key, alt: null, next: null, entries: null };
      return node.alt;
    }
    node = node.alt;
  }
}

function lookup<T>(map: Map<number, Node<T>>, h: number, t: Tokens, k: number): Node<T> | undefined {
  let node = map.get(h);
  while (node && !tokenEquals(t, k, node.key)) node = node.alt ?? undefined;
  return node;
}
