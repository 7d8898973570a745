// Paused platforms: a platform that refused the bot's token holds all its deliveries until it accepts one again.

import type { Clock } from "../core/clock.js";
import type { Platform } from "../core/platform.js";
import type { Logger } from "../log/logger.js";
import type { Outbox } from "./outbox.js";

/**
 * Why this is per platform: a revoked token fails every channel of the platform alike. Treating it as a dead
 * channel would switch every subscription off, one by one, and leave them off after the token is fixed. Instead
 * the platform's rows stay queued, the state is recorded in the database (for `cyberbrief status`) and logged
 * once, and the bot resumes when it connects with a valid token (after a restart, since tokens are settings).
 */
export class PlatformPauses {
  private readonly paused = new Map<Platform, string>();

  constructor(
    private readonly outbox: Outbox,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly onResume: () => void,
  ) {}

  /** Holds the platform at once (in memory); the promise settles once the pause is recorded. Never rejects. */
  async pause(platform: Platform, reason: string): Promise<void> {
    if (this.paused.has(platform)) return;
    this.paused.set(platform, reason);
    this.log.error(
      { platform, reason },
      `alerts: ${platform} refused the bot's token; its alerts are paused and stay queued until the bot is restarted with a valid token`,
    );
    try {
      await this.outbox.pausePlatform(platform, reason, this.clock.now());
    } catch (err) {
      this.log.error({ err, platform }, "alerts: could not record the paused platform");
    }
  }

  /** The platform connected with a valid token: clears a pause, in memory at once, then in the database. */
  async resume(platform: Platform): Promise<void> {
    const was = this.paused.delete(platform);
    let recorded = false;
    try {
      recorded = await this.outbox.resumePlatform(platform);
    } catch (err) {
      this.log.error({ err, platform }, "alerts: could not clear the paused platform's record");
    }
    if (recorded || was) {
      this.log.info({ platform }, "alerts: the platform accepted the token; its alerts resume");
    }
    this.onResume();
  }

  has(platform: Platform): boolean {
    return this.paused.has(platform);
  }

  /** Why the platform's deliveries are paused, or undefined when they are not. */
  reason(platform: Platform): string | undefined {
    return this.paused.get(platform);
  }
}
