// A compiled trie's edges and keys as typed arrays: what the name trie and the sector phrase table match against.

/**
 * Every (parent node, token hash) → child edge of a trie in one open-addressing table (a root's parent is -1), so
 * matching asks no Map. Built once from the edges as (parent, hash, child) triples; at least twice as many slots
 * as edges.
 */
export class EdgeTable {
  /** Per slot four numbers, one slot in one cache line: parent, hash, child (-1 when empty), and padding. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(edges: readonly number[]) {
    let bits = 4;
    while (1 << bits < edges.length) bits++; // three numbers per edge: at least twice as many slots as edges
    const size = 1 << bits;
    this.slots = new Int32Array(size * 4);
    for (let s = 0; s < size; s++) this.slots[s * 4 + 2] = -1;
    this.mask = size - 1;
    this.shift = 32 - bits;
    for (let e = 0; e < edges.length; e += 3) {
      const parent = edges[e] as number;
      const h = edges[e + 1] as number;
      let s = this.slot(parent, h);
      while ((this.slots[s * 4 + 2] as number) >= 0) s = (s + 1) & this.mask;
      this.slots[s * 4] = parent;
      this.slots[s * 4 + 1] = h;
      this.slots[s * 4 + 2] = edges[e + 2] as number;
    }
  }

  /** The child of `parent` along token hash `h`, or -1. */
  find(parent: number, h: number): number {
    const slots = this.slots;
    for (let s = this.slot(parent, h); ; s = (s + 1) & this.mask) {
      const at = s << 2;
      const child = slots[at + 2] as number;
      if (child < 0) return -1;
      if (slots[at + 1] === h && slots[at] === parent) return child;
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
