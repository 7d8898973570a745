// Per-platform pacing: never more than N sends in any window of T ms, per channel and across the platform.

import type { Platform } from "../core/platform.js";

export interface Limit {
  count: number;
  perMs: number;
}

export interface PaceRule {
  perChannel?: Limit;
  global?: Limit;
}

/**
 * Documented limits. Slack: chat.postMessage about 1 per second per channel. Discord: 50 requests per second
 * for the bot, and the per-channel message route's bucket of 5 per 5 seconds.
 */
export const PLATFORM_PACING: Record<Platform, PaceRule> = {
  slack: { perChannel: { count: 1, perMs: 1000 } },
  discord: { global: { count: 50, perMs: 1000 }, perChannel: { count: 5, perMs: 5000 } },
  console: {},
};

/**
 * A sliding-window log, not a token bucket: a bucket refilling continuously lets 5 + 4 sends into some 5 s
 * window, which a fixed or sliding enforcer answers with 429.
 *
 * A send is booked from when its answer came back, not from when it went out: the platform saw the request
 * somewhere between the two, and only the answer bounds that from above. Booked from the start, a send the
 * event loop held up (a long synchronous step, a WAL checkpoint, a busy machine) reaches the platform later than
 * booked, and the window after it opens early by as much: 429s one window after the stall. A send still in flight
 * holds its place until it is answered. Then a new send, which cannot arrive before it starts, is never within
 * `perMs` of any of the last `count` arrivals, whatever the network or the event loop did.
 */
class Window {
  inFlight = 0;
  /** The latest answers' times, ascending: at most `count` (the newest are the ones that hold sends back). */
  readonly ends: number[] = [];

  readyAt(limit: Limit, marginMs: number): number {
    const free = limit.count - this.inFlight;
    if (free <= 0) return Number.POSITIVE_INFINITY;
    if (this.ends.length < free) return 0;
    return (this.ends[this.ends.length - free] ?? 0) + limit.perMs + marginMs;
  }

  end(at: number, limit: Limit): void {
    this.inFlight -= 1;
    // Answers come back nearly in order: walk back from the newest to keep the list sorted.
    let i = this.ends.length;
    while (i > 0 && (this.ends[i - 1] ?? 0) > at) i--;
    this.ends.splice(i, 0, at);
    if (this.ends.length > limit.count) this.ends.splice(0, this.ends.length - limit.count);
  }

  /** Nothing in flight and nothing answered since `since`: the window no longer holds anything back. */
  idleSince(since: number): boolean {
    return this.inFlight === 0 && (this.ends[this.ends.length - 1] ?? 0) < since;
  }
}

/** A send booked by `Pacer.take`: `done` when its answer (or failure) came back. */
export interface PacedSend {
  done(at: number): void;
}

/** When a send to a channel may go next, and which limit holds it back until then. */
export interface SendSlot {
  at: number;
  /** "platform" when the platform-wide limit (or penalty) is the one holding the send back. */
  scope: "platform" | "channel";
}

export class Pacer {
  private readonly platformWindows = new Map<Platform, Window>();
  private readonly channelWindows = new Map<string, Window>();
  private readonly penalties = new Map<string, number>();
  private takes = 0;

  /** `marginRatio` widens each window a little: arrival times at the platform jitter with the network. */
  constructor(
    private readonly rules: Record<Platform, PaceRule> = PLATFORM_PACING,
    private readonly marginRatio = 0.01,
  ) {}

  private margin(limit: Limit): number {
    return Math.ceil(limit.perMs * this.marginRatio);
  }

  readyAt(platform: Platform, channelRef: string): SendSlot {
    const rule = this.rules[platform];
    const g = rule.global;
    const c = rule.perChannel;
    const platformAt = Math.max(
      g ? (this.platformWindows.get(platform)?.readyAt(g, this.margin(g)) ?? 0) : 0,
      this.penalties.get(platform) ?? 0,
    );
    const channelAt = Math.max(
      c ? (this.channelWindows.get(channelRef)?.readyAt(c, this.margin(c)) ?? 0) : 0,
      this.penalties.get(channelRef) ?? 0,
    );
    return platformAt >= channelAt
      ? { at: platformAt, scope: "platform" }
      : { at: channelAt, scope: "channel" };
  }

  /** A send to the channel starts now; it holds its place in the windows until `done`. */
  take(platform: Platform, channelRef: string, now: number): PacedSend {
    const { global: g, perChannel: c } = this.rules[platform];
    const platformWindow = g ? this.window(this.platformWindows, platform) : undefined;
    const channelWindow = c ? this.window(this.channelWindows, channelRef) : undefined;
    if (platformWindow) platformWindow.inFlight += 1;
    if (channelWindow) channelWindow.inFlight += 1;
    if (++this.takes % 1000 === 0) this.sweep(now);
    let open = true;
    return {
      done: (at) => {
        if (!open) return;
        open = false;
        if (g) platformWindow?.end(at, g);
        if (c) channelWindow?.end(at, c);
      },
    };
  }

  /** A 429's retry-after: nothing more to that channel (or the whole platform) before `until`. */
  penalise(key: Platform | string, until: number): void {
    this.penalties.set(key, Math.max(until, this.penalties.get(key) ?? 0));
  }

  private window<K>(map: Map<K, Window>, key: K): Window {
    let w = map.get(key);
    if (!w) {
      w = new Window();
      map.set(key, w);
    }
    return w;
  }

  // Channels that have been quiet for a whole window hold no information: drop them so memory stays bounded.
  private sweep(now: number): void {
    const longest = Math.max(...Object.values(this.rules).map((r) => (r.perChannel?.perMs ?? 0) * 2));
    for (const [key, w] of this.channelWindows) {
      if (w.idleSince(now - longest)) this.channelWindows.delete(key);
    }
    for (const [key, until] of this.penalties) if (until < now) this.penalties.delete(key);
  }
}
