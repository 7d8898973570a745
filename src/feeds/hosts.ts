// The per-host gate: at most one request in flight per host, the next one starting no sooner than a spacing after
// the previous one ended; different hosts run side by side. Time comes from an injected clock and sleep.

import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../core/clock.js";

/** Waits `ms`; rejects (or returns early) when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

interface HostState {
  busy: boolean;
  /** Clock time the last request to this host ended. */
  lastEnd: number;
  /** Those waiting for the host, first come first served: each is called when its turn comes. */
  queue: Array<() => void>;
}

/** Idle hosts are forgotten once there are this many and their spacing has passed. */
const PRUNE_AT = 512;

export class HostGate {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    private readonly spacingMs: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {}

  /**
   * Runs `task` when it is `host`'s turn: after every earlier task for that host has ended and `spacingMs` has
   * passed since the last one ended. Rejects with the signal's reason when `signal` aborts while waiting.
   */
  async run<T>(host: string, task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const state = await this.acquire(host, signal);
    try {
      const wait = state.lastEnd + this.spacingMs - this.clock.now();
      if (wait > 0) await this.sleep(wait, signal);
      signal.throwIfAborted();
      return await task();
    } finally {
      this.release(state);
    }
  }

  /** Hosts with a request in flight or waiting (for tests and health). */
  get activeHosts(): number {
    let n = 0;
    for (const state of this.hosts.values()) if (state.busy) n++;
    return n;
  }

  private async acquire(host: string, signal: AbortSignal): Promise<HostState> {
    signal.throwIfAborted();
    if (this.hosts.size >= PRUNE_AT) this.prune();
    let state = this.hosts.get(host);
    if (!state) {
      state = { busy: false, lastEnd: Number.NEGATIVE_INFINITY, queue: [] };
      this.hosts.set(host, state);
    }
    if (!state.busy) {
      state.busy = true;
      return state;
    }
    const queue = state.queue;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        reject(signal.reason);
      };
      const waiter = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      queue.push(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return state;
  }

  /** Ends the current turn: the next waiter (still marked busy) gets the host, or the host falls idle. */
  private release(state: HostState): void {
    state.lastEnd = this.clock.now();
    const next = state.queue.shift();
    if (next) next();
    else state.busy = false;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [host, state] of this.hosts) {
      if (!state.busy && state.lastEnd + this.spacingMs <= now) this.hosts.delete(host);
    }
  }
}
