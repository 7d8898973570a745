// A token-phrase matcher with integer values: a bitset and an open-addressing table, no allocation per match.

import { EdgeTable, type PackedKeys, packKeys } from "./edge-table.js";
import { hashKey, JOIN, type Tokens, tokenEqualsCodes } from "./tokenizer.js";

const FILTER_BITS = 1 << 16;
const NONE = -1;

/**
 * Phrases (token keys) to a small integer each, matched leftmost-longest at a token. The first token is found
 * through a bitset and an open-addressing table of hashes; later tokens through each node's child map.
 * Collisions of the 30-bit hashes are resolved by comparing the token's text with the node's key.
 */
export class PhraseTable {
  private readonly filter = new Uint32Array(FILTER_BITS >>> 5);
  private slots = new Int32Array(1024).fill(NONE);
  private mask = 1023;
  private readonly keys: string[] = [];
  private readonly hashes: number[] = [];
  private readonly values: number[] = [];
  /** Another node whose key has the same hash (first tokens and children alike). */
  private readonly alts: number[] = [];
  private readonly children: (Map<number, number> | null)[] = [];
  /** The last token of the match `at` found. */
  end = 0;
  // Compiled on first use: node fields as typed arrays, children in one open-addressing table of (parent, hash).
  private compiled = false;
  private hashOf = new Int32Array(0);
  private valueOf = new Int32Array(0);
  private altOf = new Int32Array(0);
  private hasChildren = new Uint8Array(0);
  /** Each node's key as char codes: no key string is read to match. */
  private packed: PackedKeys = packKeys([]);
  private edges = new EdgeTable([]);

  /** Adds a phrase; an existing phrase keeps its first value. */
  insert(keys: readonly string[], value: number): void {
    if (keys.length === 0) return;
    this.compiled = false;
    let node = this.root(keys[0] as string);
    for (let k = 1; k < keys.length; k++) node = this.child(node, keys[k] as string);
    if (this.values[node] === NONE) this.values[node] = value;
  }

  /**
   * The value of the longest phrase starting at token `i` (ending where the tokens join), or -1. Unless `exact`,
   * a token is taken for a key by its 30-bit hash and its length alone (twice as fast): confirm a match that
   * matters with `exact`.
   */
  at(t: Tokens, i: number, exact = false): number {
    const h = t.hash[i] as number;
    if (((this.filter[(h & (FILTER_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) === 0) return NONE;
    if (!this.compiled) this.compile();
    const hashOf = this.hashOf;
    let s = (Math.imul(h, 0x9e3779b1) >>> 0) & this.mask;
    let node = this.slots[s] as number;
    while (node !== NONE && hashOf[node] !== h) {
      s = (s + 1) & this.mask;
      node = this.slots[s] as number;
    }
    node = this.verify(node, t, i, exact);
    let best = NONE;
    for (let j = i; node !== NONE; ) {
      if (this.valueOf[node] !== NONE) {
        best = this.valueOf[node] as number;
        this.end = j;
      }
      if (this.hasChildren[node] === 0 || j + 1 >= t.n || ((t.flags[j + 1] as number) & JOIN) === 0) break;
      j++;
      node = this.verify(this.edges.find(node, t.hash[j] as number), t, j, exact);
    }
    return best;
  }

  private compile(): void {
    this.hashOf = Int32Array.from(this.hashes);
    this.valueOf = Int32Array.from(this.values);
    this.altOf = Int32Array.from(this.alts);
    this.hasChildren = Uint8Array.from(this.children, (m) => (m ? 1 : 0));
    this.packed = packKeys(this.keys);
    const edges: number[] = [];
    this.children.forEach((map, parent) => {
      for (const [h, node] of map ?? []) edges.push(parent, h, node);
    });
    this.edges = new EdgeTable(edges);
    this.compiled = true;
  }

  private verify(node: number, t: Tokens, k: number, exact: boolean): number {
    const len = (t.end[k] as number) - (t.start[k] as number);
    for (; node !== NONE; node = this.altOf[node] as number) {
      const keyLength = this.packed.length[node] as number;
      if (keyLength !== len) continue;
      if (!exact || tokenEqualsCodes(t, k, this.packed.codes, this.packed.start[node] as number, keyLength))
        return node;
    }
    return node;
  }

  private make(key: string, h: number): number {
    this.keys.push(key);
    this.hashes.push(h);
    this.values.push(NONE);
    this.alts.push(NONE);
    this.children.push(null);
    return this.keys.length - 1;
  }

  /** The node of `key` among the first tokens, or a new one (chained behind a node of the same hash). */
  private root(key: string): number {
    const h = hashKey(key);
    const bit = (h & (FILTER_BITS - 1)) >>> 5;
    this.filter[bit] = (this.filter[bit] as number) | (1 << (h & 31));
    if (this.keys.length * 2 >= this.slots.length) this.rehash();
    let s = (Math.imul(h, 0x9e3779b1) >>> 0) & this.mask;
    while (this.slots[s] !== NONE && this.hashes[this.slots[s] as number] !== h) s = (s + 1) & this.mask;
    const head = this.slots[s] as number;
    if (head === NONE) {
      const node = this.make(key, h);
      this.slots[s] = node;
      return node;
    }
    return this.chain(head, key, h);
  }

  private child(parent: number, key: string): number {
    const h = hashKey(key);
    let map = this.children[parent];
    if (!map) {
      map = new Map();
      this.children[parent] = map;
    }
    const head = map.get(h);
    if (head !== undefined) return this.chain(head, key, h);
    const node = this.make(key, h);
    map.set(h, node);
    return node;
  }

  /** `key` in the chain of nodes sharing hash `h` starting at `head`, added at its end when absent. */
  private chain(head: number, key: string, h: number): number {
    let node = head;
    for (;;) {
      if (this.keys[node] === key) return node;
      const alt = this.alts[node] as number;
      if (alt === NONE) break;
      node = alt;
    }
    const added = this.make(key, h);
    this.alts[node] = added;
    return added;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(NONE);
    this.mask = size - 1;
    const seen = new Set<number>();
    for (const map of this.children) if (map) for (const n of map.values()) seen.add(n);
    for (let node = 0; node < this.keys.length; node++) {
      // Only first-token chain heads live in the table: not children, not nodes behind an alt.
      if (seen.has(node) || this.alts.includes(node)) continue;
      let s = (Math.imul(this.hashes[node] as number, 0x9e3779b1) >>> 0) & this.mask;
      while (this.slots[s] !== NONE) s = (s + 1) & this.mask;
      this.slots[s] = node;
    }
  }
}
