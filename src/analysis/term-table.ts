// Reusable open-addressing table from term hash to a dense slot, with counts; reset is O(1) by generation.

export class TermTable {
  private keys = new Int32Array(1024);
  private stamp = new Int32Array(1024);
  counts = new Int32Array(1024);
  /** Last sentence that used the slot: dedups terms within a sentence without a Set. */
  lastUse = new Int32Array(1024);
  private mask = 1023;
  private generation = 0;

  /** Forget all terms; make room for up to `expected` distinct ones. */
  reset(expected: number): void {
    if (expected * 2 > this.keys.length) {
      let size = this.keys.length;
      while (size < expected * 2) size *= 2;
      this.keys = new Int32Array(size);
      this.stamp = new Int32Array(size);
      this.counts = new Int32Array(size);
      this.lastUse = new Int32Array(size);
      this.mask = size - 1;
      this.generation = 0;
    }
    this.generation++;
  }

  /** The slot of `hash`, created (count 0, unused) on first sight. */
  slot(hash: number): number {
    const { keys, stamp, mask, generation } = this;
    let i = (Math.imul(hash, 0x9e3779b1) >>> 0) & mask;
    while (stamp[i] === generation) {
      if (keys[i] === hash) return i;
      i = (i + 1) & mask;
    }
    stamp[i] = generation;
    keys[i] = hash;
    this.counts[i] = 0;
    this.lastUse[i] = -1;
    return i;
  }
}
