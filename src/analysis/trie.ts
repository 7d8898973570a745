// Token trie keyed by token hashes, walked once over the text with leftmost-longest matching.

import type { Candidates, FirstTokens } from "./candidates.js";
import { EdgeTable, packKeys } from "./edge-table.js";
import { hashKey, tokenEqualsCodes } from "./token-keys.js";
import { CAP, GLUED, JOIN, NUM, type Tokens } from "./tokenizer.js";

interface Node<T> {
  key: string;
  /** Another key that happens to share this node's hash. */
  alt: Node<T> | null;
  next: Map<number, Node<T>> | null;
  entries: T[] | null;
  /** Its number in the compiled edge table (-1 until compiled). */
  id: number;
}

export interface Match<T> {
  /** First and last token index, inclusive. */
  first: number;
  last: number;
  entries: T[];
}

// Offsets of a node's numbers after its key start (see TokenTrie.nodes).
const NODE_LENGTH = 1;
const NODE_ALT = 2;
const NODE_NEXT = 3;

// A bitset of first-token hashes rejects most tokens without touching a Map.
const FILTER_BITS = 1 << 20;

export class TokenTrie<T> {
  private readonly root = new Map<number, Node<T>>();
  private readonly filter = new Uint32Array(FILTER_BITS >>> 5);
  /** First tokens of names that may start in lowercase ("apt40"): most prose words are checked only here. */
  private readonly lowerFilter = new Uint32Array(FILTER_BITS >>> 5);
  size = 0;
  // Compiled on the first match after an insert: every (parent node, token hash) edge of the Maps in one
  // open-addressing table of typed arrays (the root's parent is -1), so matching never asks a Map.
  private compiled = false;
  // Per node number: its entries, and four numbers in one cache line (NODE_*): where its key's char codes start
  // in `codes`, the key's length, its alt (-1 for none), and whether it has children.
  private entriesOf: (T[] | null)[] = [];
  private nodes = new Int32Array(0);
  private codes: Uint16Array = new Uint16Array(0);
  private edges = new EdgeTable([]);

  insert(keys: readonly string[], entry: T, lowercaseStart = false): void {
    if (keys.length === 0) return;
    this.compiled = false;
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
    if (!this.compiled) this.compile();
    for (let i = 0; i < t.n; i++) {
      const last = this.matchAt(t, i, out);
      if (last >= 0) i = last;
    }
    return out;
  }

  /** `matchAll` visiting only the candidates of `kind` (a superset of the tokens that can start a name). */
  matchCandidates(t: Tokens, candidates: Candidates, kind: number, out: Match<T>[]): Match<T>[] {
    if (!this.compiled) this.compile();
    const { at, kinds } = candidates;
    let next = 0;
    for (let c = 0; c < candidates.n; c++) {
      if (((kinds[c] as number) & kind) === 0) continue;
      const i = at[c] as number;
      if (i < next) continue;
      const last = this.matchAt(t, i, out);
      if (last >= 0) next = last + 1;
    }
    return out;
  }

  /** Marks the first token of every name in `first` (and whether a lowercase token may start one). */
  markFirstTokens(first: FirstTokens, kind: number): void {
    for (const h of this.root.keys()) {
      const lower = ((this.lowerFilter[(h & (FILTER_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) !== 0;
      first.mark(h, kind, lower);
    }
  }

  /** The longest name starting at token `i` pushed to `out`; its last token, or -1 when none starts there. */
  private matchAt(t: Tokens, i: number, out: Match<T>[]): number {
    const { n, hash, flags } = t;
    const h = hash[i] as number;
    const filter = ((flags[i] as number) & (CAP | NUM)) !== 0 ? this.filter : this.lowerFilter;
    if (((filter[(h & (FILTER_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) === 0) return -1;
    // A token glued to the previous one ("40" in "APT40") cannot start a name.
    if (((flags[i] as number) & GLUED) !== 0) return -1;
    let node = this.lookup(-1, h, t, i);
    let bestEnd = -1;
    let bestEntries: T[] | null = null;
    let j = i;
    while (node >= 0) {
      // A name may not end inside a glued run ("APT40s" is not "APT40").
      const endsClean = j + 1 >= n || ((flags[j + 1] as number) & GLUED) === 0;
      const entries = this.entriesOf[node] as T[] | null;
      if (entries !== null && endsClean) {
        bestEnd = j;
        bestEntries = entries;
      }
      if (this.nodes[(node << 2) + NODE_NEXT] === 0 || j + 1 >= n || ((flags[j + 1] as number) & JOIN) === 0)
        break;
      j++;
      node = this.lookup(node, hash[j] as number, t, j);
    }
    if (bestEntries === null) return -1;
    out.push({ first: i, last: bestEnd, entries: bestEntries });
    return bestEnd;
  }

  /** The number of the child of node `parent` (-1: the root) whose key token `k` spells, or -1. */
  private lookup(parent: number, h: number, t: Tokens, k: number): number {
    const nodes = this.nodes;
    let id = this.edges.find(parent, h);
    while (id >= 0) {
      const at = id << 2;
      if (tokenEqualsCodes(t, k, this.codes, nodes[at] as number, nodes[at + NODE_LENGTH] as number)) break;
      id = nodes[at + NODE_ALT] as number;
    }
    return id;
  }

  private compile(): void {
    const nodes: Node<T>[] = [];
    const edges: number[] = [];
    const visit = (map: Map<number, Node<T>>, parent: number): void => {
      for (const [h, head] of map) {
        for (let n: Node<T> | null = head; n; n = n.alt) {
          n.id = nodes.length;
          nodes.push(n);
        }
        edges.push(parent, h, head.id);
        for (let n: Node<T> | null = head; n; n = n.alt) if (n.next) visit(n.next, n.id);
      }
    };
    visit(this.root, -1);
    this.entriesOf = nodes.map((n) => n.entries);
    const packed = packKeys(nodes.map((n) => n.key));
    this.codes = packed.codes;
    this.nodes = new Int32Array(nodes.length * 4);
    nodes.forEach((n, i) => {
      this.nodes[i * 4] = packed.start[i] as number;
      this.nodes[i * 4 + NODE_LENGTH] = packed.length[i] as number;
      this.nodes[i * 4 + NODE_ALT] = n.alt ? n.alt.id : -1;
      this.nodes[i * 4 + NODE_NEXT] = n.next ? 1 : 0;
    });
    this.edges = new EdgeTable(edges);
    this.compiled = true;
  }
}

function findOrAdd<T>(map: Map<number, Node<T>>, h: number, key: string): Node<T> {
  let node = map.get(h);
  if (!node) {
    node = { key, alt: null, next: null, entries: null, id: -1 };
    map.set(h, node);
    return node;
  }
  for (;;) {
    if (node.key === key) return node;
    if (node.alt === null) {
      node.alt = { key, alt: null, next: null, entries: null, id: -1 };
      return node.alt;
    }
    node = node.alt;
  }
}
