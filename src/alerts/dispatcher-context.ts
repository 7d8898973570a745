// The dispatcher's options, and the send context it builds from them with their defaults.

import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Platform } from "../core/platform.js";
import type { Logger } from "../log/logger.js";
import { PlatformHealth } from "./health.js";
import type { Outbox } from "./outbox.js";
import { type PaceRule, Pacer, PLATFORM_PACING } from "./pacer.js";
import { newCounters, realTimers, type SendContext, type Timers } from "./send.js";
import type { AlertSender as ChatAdapter } from "./types.js";

export interface DispatcherOptions {
  outbox: Outbox;
  /** One adapter per platform; a platform without one, or not connected, keeps its rows pending. */
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  log: Logger;
  alerts: Config["alerts"];
  clock?: Clock;
  timers?: Timers;
  random?: () => number;
  pacing?: Record<Platform, PaceRule>;
  /** Sends in flight at once across all channels (default 32). */
  concurrency?: number;
  /** Idle re-check for rows written by another process or an adapter that reconnected (default 2 s). */
  pollMs?: number;
  /** Most stories one flood summary claims (default `alerts.floodSummaryMax`, else 10,000). */
  maxSummary?: number;
  /** Consecutive outage failures that open a platform's circuit (default 3; 0 never). */
  outageThreshold?: number;
  /** Sees every delivery count by platform as it happens (metrics). */
  onCount?: SendContext["onCount"];
  /** How long stop() waits for sends in flight before handing them back as pending (default 5 s). */
  stopTimeoutMs?: number;
}

/** The context every send of one dispatcher shares: outbox, clock, timers, pacing, platform health, counters. */
export function sendContext(
  opts: DispatcherOptions,
  clock: Clock,
  isRunning: SendContext["isRunning"],
  pause: SendContext["pause"],
): SendContext {
  const { alerts } = opts;
  return {
    outbox: opts.outbox,
    log: opts.log,
    clock,
    timers: opts.timers ?? realTimers,
    random: opts.random ?? Math.random,
    policy: alerts,
    sendTimeoutMs: alerts.sendTimeoutMs,
    pacer: new Pacer(opts.pacing ?? PLATFORM_PACING),
    health: new PlatformHealth({
      threshold: opts.outageThreshold ?? 3,
      baseMs: Math.max(alerts.baseRetryMs, 1),
      maxMs: Math.min(alerts.maxRetryMs, 60_000),
      random: opts.random,
    }),
    counters: newCounters(),
    onCount: opts.onCount,
    isRunning,
    pause,
  };
}
