// A fake platform for bench:fanout that enforces rate limits the way a server would, and answers 429 past them.

import {
  type ChatAdapter,
  type CommandHandler,
  type Delivered,
  DeliveryError,
  type Outbound,
  type Platform,
} from "../src/chat/types.js";

export interface ServerLimit {
  count: number;
  perMs: number;
}

export interface ServerLimits {
  global?: ServerLimit;
  perChannel?: ServerLimit;
}

/** Documented limits: Discord 50 requests/s per bot and 5 messages per 5 s per channel; Slack 1 message/s per channel. */
export const DOCUMENTED: Record<"discord" | "slack", ServerLimits> = {
  discord: { global: { count: 50, perMs: 1000 }, perChannel: { count: 5, perMs: 5000 } },
  slack: { perChannel: { count: 1, perMs: 1000 } },
};

/**
 * Sliding windows on arrival time: stricter than Discord's fixed-reset buckets, so a run without 429s here has
 * none there either. Each request travels `latency()` ms each way, so arrival order and spacing jitter as on a
 * real network.
 */
class Log {
  private readonly times: number[] = [];

  /** Milliseconds until a request arriving at `now` would fit, 0 when it fits. */
  wait(limit: ServerLimit, now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - limit.perMs) this.times.shift();
    if (this.times.length < limit.count) return 0;
    return (this.times[0] ?? 0) + limit.perMs - now;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RateLimitedAdapter implements ChatAdapter {
  readonly arrivals: number[] = [];
  rejected = 0;
  private readonly global = new Log();
  private readonly channels = new Map<string, Log>();
  private seq = 0;

  constructor(
    readonly platform: Platform,
    private readonly limits: ServerLimits,
    private readonly latency: () => number,
  ) {}

  async start(_handler: CommandHandler): Promise<void> {}
  async stop(): Promise<void> {}
  isConnected(): boolean {
    return true;
  }

  async deliver(channelRef: string, _message: Outbound): Promise<Delivered> {
    await sleep(this.latency());
    const now = performance.now();
    const { global: g, perChannel: c } = this.limits;
    let channel = this.channels.get(channelRef);
    if (!channel) {
      channel = new Log();
      this.channels.set(channelRef, channel);
    }
    const wait = Math.max(g ? this.global.wait(g, now) : 0, c ? channel.wait(c, now) : 0);
    if (wait > 0) {
      this.rejected += 1;
      await sleep(this.latency());
      throw new DeliveryError("transient", "rate_limited", "429 Too Many Requests", Math.ceil(wait));
    }
    if (g) this.global.add(now);
    if (c) channel.add(now);
    this.arrivals.push(now);
    await sleep(this.latency());
    return { messageId: `m${++this.seq}` };
  }
}
