// When the dispatcher looks at the outbox: one pass at a time, at the earliest time anything asked for.

import type { Clock } from "../core/clock.js";
import type { Timers } from "./send.js";

/** Node's timers cap a delay at 2^31-1 ms; a longer one fires at once. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Runs `pass` at the earliest time asked for, never two at once. A pass awaits the outbox; two at once could
 * both find a channel free and send it two messages at once (out of order, past its pacing). A look asked for
 * while a pass runs happens right after it.
 */
export class PassLoop {
  private timer: unknown;
  private timerAt = Number.POSITIVE_INFINITY;
  private passing: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly timers: Timers,
    private readonly clock: Clock,
    private readonly pass: () => Promise<void>,
  ) {}

  /** Passes may run from now on; the first one when `at` asks for it. */
  start(): void {
    this.stopped = false;
  }

  /** Look again in `delayMs` at the latest; an earlier look already planned stands. */
  at(delayMs: number): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const at = now + Math.max(0, delayMs);
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.run();
      },
      Math.min(at - now, MAX_DELAY),
    );
  }

  /** No more passes; resolves when the one under way (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    await this.passing;
  }

  private run(): void {
    if (this.stopped) return;
    if (this.passing) {
      this.again = true;
      return;
    }
    this.passing = this.pass().finally(() => {
      this.passing = null;
      if (this.again) {
        this.again = false;
        this.at(0);
      }
    });
  }
}

/** Waits for `jobs` to settle, or `ms`, whichever comes first. */
export async function settleWithin(timers: Timers, jobs: Array<Promise<unknown>>, ms: number): Promise<void> {
  if (jobs.length === 0) return;
  let t: unknown;
  const timeout = new Promise<void>((r) => {
    t = timers.setTimeout(r, ms);
  });
  await Promise.race([Promise.allSettled(jobs), timeout]);
  timers.clearTimeout(t);
}
