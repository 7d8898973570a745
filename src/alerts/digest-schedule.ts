// The digest schedule: a node-cron tick every minute (and one at start, to catch up) queues each digest
// subscription's latest due period once, keyed in the outbox so restarts and crashes never double or lose one.

import cron, { type ScheduledTask } from "node-cron";
import { type Clock, systemClock } from "../core/clock.js";
import { digestKey, latestPeriod } from "../core/digest.js";
import type { Logger } from "../log/logger.js";
import type { DigestStore, QueueResult } from "../store/digests.js";
import { gatherDigest } from "./digest.js";

export interface DigestSchedulerOptions {
  store: DigestStore;
  /** CYBERBRIEF_TZ: the IANA zone digest times are read in. */
  zone: string;
  log: Logger;
  clock?: Clock;
  /** How often to look (default every minute); node-cron syntax. */
  cron?: string;
}

export type TickReport = Record<QueueResult, number>;

/**
 * Each tick looks at every digest subscription: when its latest scheduled time has passed and the period has no
 * digest row yet, the period's stories are gathered and one row queued, in one transaction. After downtime only
 * the latest missed period is sent. A period that ended before the subscription took its schedule is skipped.
 */
export class DigestScheduler {
  private readonly clock: Clock;
  /** Per subscription and mode, the last key dealt with (queued, already there, or empty): no second look. */
  private readonly handled = new Map<string, string>();
  private task: ScheduledTask | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: DigestSchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** One look at every digest subscription at `now`; ticks never overlap. Never rejects. */
  tick(now = this.clock.now()): Promise<TickReport> {
    const next = this.running.then(() => this.look(now));
    this.running = next.catch(() => undefined);
    return next.catch((err) => {
      this.opts.log.error({ err }, "digests: could not look for due digests; trying again at the next tick");
      return { queued: 0, exists: 0, empty: 0 };
    });
  }

  private async look(now: number): Promise<TickReport> {
    const { store, zone, log } = this.opts;
    const report: TickReport = { queued: 0, exists: 0, empty: 0 };
    for (const sub of await store.digestSubscriptions()) {
      if (this.stopped) break;
      const period = latestPeriod(now, sub.schedule, zone);
      if (period.end <= sub.since) continue;
      const key = digestKey(sub.channelRef, sub.tag, sub.schedule.mode, period.id);
      const id = `${sub.channelRef}|${sub.tag}|${sub.schedule.mode}`;
      if (this.handled.get(id) === key) continue;
      let result: QueueResult;
      try {
        result = await store.queueDigest(key, (tx) => gatherDigest(tx, sub, period, zone));
      } catch (err) {
        log.error({ err, key }, "digests: could not queue a digest; trying again at the next tick");
        continue;
      }
      this.handled.set(id, key);
      report[result]++;
      if (result === "queued") log.info({ key, period: period.label }, "digests: queued");
      else log.debug({ key, result }, "digests: nothing to queue");
    }
    return report;
  }

  /** Catches up at once (a period that ended while the bot was down), then ticks on the schedule. */
  start(): Promise<TickReport> {
    this.stopped = false;
    this.task = cron.schedule(this.opts.cron ?? "* * * * *", () => void this.tick(), {
      name: "cyberbrief-digests",
      timezone: this.opts.zone,
      noOverlap: true,
    });
    return this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.task?.stop();
    this.task = undefined;
    await this.running;
  }
}
