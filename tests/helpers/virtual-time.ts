// Time the test owns, for code that takes a Clock and Timers: nothing fires until the test runs time forward,
// and then timers fire in due order with the clock set to each one's time. No real waiting, no wall clock.

import { setImmediate } from "node:timers/promises";
import type { Timers } from "../../src/alerts/send.js";
import type { Clock } from "../../src/core/clock.js";

interface Due {
  id: number;
  at: number;
  fn: () => void;
}

export class VirtualTime implements Clock, Timers {
  private seq = 0;
  private readonly due = new Map<number, Due>();

  constructor(private t = Date.parse("2024-07-09T00:00:00Z")) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /**
   * Runs timers, earliest first (then in the order they were set), until `done()` holds; between timers the
   * promise chains they started run to their end. Throws when `done()` still fails `limitMs` of virtual time on.
   */
  async runUntil(done: () => boolean, limitMs = 60_000, what = "the condition"): Promise<void> {
    const end = this.t + limitMs;
    for (;;) {
      // Several turns of the event loop: every promise chain a timer started settles (the store is synchronous).
      for (let i = 0; i < 5; i++) await setImmediate();
      if (done()) return;
      let next: Due | undefined;
      for (const d of this.due.values()) if (!next || d.at < next.at) next = d;
      if (!next || next.at > end) throw new Error(`virtual time: ${what} not reached within ${limitMs} ms`);
      this.due.delete(next.id);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
  }
}
