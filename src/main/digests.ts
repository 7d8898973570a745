// Wires the digest scheduler: node-cron in CYBERBRIEF_TZ over the store's digest port, started with the bot.

import { DigestScheduler } from "../alerts/digest-schedule.js";
import type { Config } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import type { DigestStore } from "../store/digests.js";

/**
 * Starts the schedule: a look at once (a digest whose time passed while the bot was down goes now; only the
 * latest missed period), then every minute. The digests it queues wake the dispatcher like routed alerts.
 */
export function startDigests(
  core: { digests: DigestStore },
  config: Pick<Config, "timeZone">,
  log: Logger,
): DigestScheduler {
  const scheduler = new DigestScheduler({
    store: core.digests,
    zone: config.timeZone,
    log: log.child({ module: "digests" }),
  });
  void scheduler.start();
  return scheduler;
}
