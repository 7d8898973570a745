// A compiled trie's edges and keys as typed arrays: what the name trie and the sector phrase table match against.

/**
 * Every (parent node, token hash) → child edge of a trie in one open-addressing table (a root's parent is -1), so
 * matching asks no Map. Built once from the edges as (parent, hash, child) triples; at least twice as many slots
 * as edges.
 */
export class EdgeTable {
  private readonly parent: Int32Array;
  private readonly hash: Int32Array;
  private readonly child: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(edges: readonly number[]) {
    let bits = 4;
    while (1 << bits < edges.length) bits++; // three numbers per edge: at least twice as many slots as edges
    const size = 1 << bits;
    this.parent = new Int32Array(size);
    this.hash = new Int32Array(size);
    this.child = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.shift = 32 - bits;
    for (let e = 0; e < edges.length; e += 3) {
      const parent = edges[e] as number;
      const h = edges[e + 1] as number;
      let s = this.slot(parent, h);
      while ((this.child[s] as number) >= 0) s = (s + 1) & this.mask;
      this.parent[s] = parent;
      this.hash[s] = h;
      this.child[s] = edges[e + 2] as number;
    }
  }

  /** The child of `parent` along token hash `h`, or -1. */
  find(parent: number, h: number): number {
    for (let s = this.slot(parent, h); ; s = (s + 1) & this.mask) {
      const child = this.child[s] as number;
      if (child < 0) return -1;
      if (this.hash[s] === h && this.parent[s] === parent) return child;
    }
  }

  private slot(parent: number, h: number): number {
    return Math.imul(h ^ Math.imul(parent + 1, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }
}

/** Keys as char codes: key `i` is `length[i]` codes from `start[i]` in `codes`, so matching reads no key string. */
export interface PackedKeys {
  start: Int32Array;
  length: Int32Array;
  codes: Uint16Array;
}

export function packKeys(keys: readonly string[]): PackedKeys {
  const start = new Int32Array(keys.length);
  const length = Int32Array.from(keys, (k) => k.length);
  const codes = new Uint16Array(keys.reduce((sum, k) => sum + k.length, 0));
  let at = 0;
  keys.forEach((key, i) => {
    start[i] = at;
    for (let c = 0; c < key.length; c++) codes[at++] = key.charCodeAt(c);
  });
  return { start, length, codes };
}
