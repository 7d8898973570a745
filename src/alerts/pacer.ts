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
 * window, which a fixed or sliding enforcer answers with 429. The log holds the last `count` send times.
 */
class Window {
  readonly times: number[] = [];

  readyAt(limit: Limit, marginMs: number): number {
    if (this.times.length < limit.count) return 0;
    return (this.times[this.times.length - limit.count] ?? 0) + limit.perMs + marginMs;
  }

  record(at: number, limit: Limit): void {
    this.times.push(at);
    if (this.times.length > limit.count) this.times.splice(0, this.times.length - limit.count);
  }
}

export interface Readiness {
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
    private readonly marginRatio = 0.03,
  ) {}

  private margin(limit: Limit): number {
    return Math.ceil(limit.perMs * this.marginRatio);
  }

  readyAt(platform: Platform, channelRef: string): Readiness {
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

  take(platform: Platform, channelRef: string, now: number): void {
    const { global: g, perChannel: c } = this.rules[platform];
    if (g) this.window(this.platformWindows, platform).record(now, g);
    if (c) this.window(this.channelWindows, channelRef).record(now, c);
    if (++this.takes % 1000 === 0) this.sweep(now);
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
      if ((w.times[w.times.length - 1] ?? 0) < now - longest) this.channelWindows.delete(key);
    }
    for (const [key, until] of this.penalties) if (until < now) this.penalties.delete(key);
  }
}
