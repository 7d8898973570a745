// A per-platform circuit: after repeated outage failures the platform is probed, not hammered, and rows wait.

import type { Platform } from "../core/platform.js";

interface State {
  failures: number;
  open: boolean;
  probes: number;
  probeAt: number;
  probing: boolean;
}

export interface HealthOptions {
  /** Consecutive outage failures (no success between) that open the circuit; 0 never opens it. */
  threshold: number;
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * Why this exists: the attempt limit is for a delivery that keeps failing on its own. When the platform itself is
 * down (Slack out for an hour), attempts would run out long before it returns and every alert would be lost, so
 * failures during an open circuit are refunded and only one probe at a time goes out until a send succeeds.
 */
export class PlatformHealth {
  private readonly states = new Map<Platform, State>();

  constructor(private readonly opts: HealthOptions) {}

  private state(p: Platform): State {
    let s = this.states.get(p);
    if (!s) {
      s = { failures: 0, open: false, probes: 0, probeAt: 0, probing: false };
      this.states.set(p, s);
    }
    return s;
  }

  isOpen(p: Platform): boolean {
    return this.states.get(p)?.open === true;
  }

  /** With the circuit open: when the next probe may go (Infinity while one is out). Closed: 0. */
  sendableAt(p: Platform): number {
    const s = this.states.get(p);
    if (!s?.open) return 0;
    return s.probing ? Number.POSITIVE_INFINITY : s.probeAt;
  }

  /** Called as a send goes out; true when it is the circuit's probe. */
  startSend(p: Platform): boolean {
    const s = this.state(p);
    if (!s.open) return false;
    s.probing = true;
    return true;
  }

  /** Any answer but an outage (success, 429, a channel's own error) proves the platform is reachable again. */
  reachable(p: Platform): void {
    this.states.set(p, { failures: 0, open: false, probes: 0, probeAt: 0, probing: false });
  }

  /** An outage-class failure: returns when the rows should be tried again if it is the platform's fault, else null. */
  outage(p: Platform, now: number, wasProbe: boolean): number | null {
    const s = this.state(p);
    if (s.open && !wasProbe) return s.probeAt;
    if (!s.open) {
      s.failures += 1;
      if (this.opts.threshold === 0 || s.failures < this.opts.threshold) return null;
      s.open = true;
    }
    s.probing = false;
    const cap = Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** s.probes);
    s.probes += 1;
    // Half fixed, half jitter: probes stay regular enough to notice the return, without a synchronised restart.
    s.probeAt = now + Math.floor(cap / 2 + (this.opts.random ?? Math.random)() * (cap / 2));
    return s.probeAt;
  }
}
