// A token-phrase matcher with integer values: a bitset and an open-addressing table, no allocation per match.

import { EdgeTable, packKeys } from "./edge-table.js";
import { hashKey, tokenEqualsCodes } from "./token-keys.js";
import { JOIN, type Tokens } from "./tokenizer.js";

const FILTER_BITS = 1 << 16;
const NONE = -1;
// Offsets of a compiled node's numbers after its key start (see PhraseTable.nodes).
const NODE_LENGTH = 1;
const NODE_ALT = 2;
const NODE_CHILDREN = 3;
const NODE_VALUE = 4;

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
  // Compiled on first use: per node eight numbers (NODE_*) in half a cache line, its key as char codes in
  // `codes` (no key string is read to match), and every edge, the first tokens' (parent -1) included, in one
  // open-addressing table of (parent, hash).
  private compiled = false;
  private nodes = new Int32Array(0);
  private codes: Uint16Array = new Uint16Array(0);
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
    const nodes = this.nodes;
    let node = this.verify(this.edges.find(NONE, h), t, i, exact);
    let best = NONE;
    for (let j = i; node !== NONE; ) {
      const value = nodes[(node << 3) + NODE_VALUE] as number;
      if (value !== NONE) {
        best = value;
        this.end = j;
      }
      if (
        nodes[(node << 3) + NODE_CHILDREN] === 0 ||
        j + 1 >= t.n ||
        ((t.flags[j + 1] as number) & JOIN) === 0
      )
        break;
      j++;
      node = this.verify(this.edges.find(node, t.hash[j] as number), t, j, exact);
    }
    return best;
  }

  private compile(): void {
    const packed = packKeys(this.keys);
    this.codes = packed.codes;
    this.nodes = new Int32Array(this.keys.length * 8);
    for (let n = 0; n < this.keys.length; n++) {
      const at = n << 3;
      this.nodes[at] = packed.start[n] as number;
      this.nodes[at + NODE_LENGTH] = packed.length[n] as number;
      this.nodes[at + NODE_ALT] = this.alts[n] as number;
      this.nodes[at + NODE_CHILDREN] = this.children[n] ? 1 : 0;
      this.nodes[at + NODE_VALUE] = this.values[n] as number;
    }
    const edges: number[] = [];
    for (const head of this.slots) if (head !== NONE) edges.push(NONE, this.hashes[head] as number, head);
    this.children.forEach((map, parent) => {
      for (const [h, node] of map ?? []) edges.push(parent, h, node);
    });
    this.edges = new EdgeTable(edges);
    this.compiled = true;
  }

  private verify(node: number, t: Tokens, k: number, exact: boolean): number {
    const len = (t.end[k] as number) - (t.start[k] as number);
    const nodes = this.nodes;
    for (; node !== NONE; node = nodes[(node << 3) + NODE_ALT] as number) {
      const at = node << 3;
      const keyLength = nodes[at + NODE_LENGTH] as number;
      if (keyLength !== len) continue;
      if (!exact || tokenEqualsCodes(t, k, this.codes, nodes[at] as number, keyLength)) return node;
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
