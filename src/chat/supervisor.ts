// Keeps a chat adapter connected: a platform unreachable at start-up is retried with capped, jittered backoff
// while the bot runs; a refused token or a wrong setting is fatal.

import { errorMessage } from "../core/errors.js";
import type { Logger } from "../log/logger.js";
import { type ChatAdapter, type CommandHandler, type Platform, PlatformUnreachableError } from "./types.js";

export interface ReconnectOptions {
  /** The first wait before trying again (default 1 s); it doubles per failure up to `maxMs` (default 60 s). */
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export interface SupervisorOptions extends ReconnectOptions {
  adapter: ChatAdapter;
  handler: CommandHandler;
  log: Logger;
  /** Every successful connection: the platform accepted the token. */
  onConnected?: (platform: Platform) => void;
  /** A later attempt met an error retrying cannot fix (the platform came back and refused the token). */
  onFatal?: (platform: Platform, err: unknown) => void;
}

export interface AdapterStatus {
  platform: Platform;
  connected: boolean;
  /** Why it is not connected: the last error, or the reason its alerts are paused. */
  error?: string;
}

/**
 * A network failure is not a configuration error: Slack or Discord being down when the bot starts must not stop
 * ingest or lose alerts (the outbox holds them, and the dispatcher waits while the adapter is not connected).
 */
export class AdapterSupervisor {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private lastError: string | undefined;

  constructor(private readonly opts: SupervisorOptions) {}

  get platform(): Platform {
    return this.opts.adapter.platform;
  }

  /** Resolves once connected, or once a retry is scheduled after an unreachable platform; rejects when fatal. */
  async start(): Promise<void> {
    try {
      await this.attempt();
    } catch (err) {
      if (!(err instanceof PlatformUnreachableError)) throw err;
      this.retryLater(err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.opts.adapter.stop();
  }

  /** Connected unless `pausedReason` says the platform's alerts are paused; otherwise why not. */
  status(pausedReason?: string): AdapterStatus {
    const connected = this.opts.adapter.isConnected() && pausedReason === undefined;
    if (connected) return { platform: this.platform, connected };
    const error = pausedReason ? `alerts paused: ${pausedReason}` : (this.lastError ?? "not connected yet");
    return { platform: this.platform, connected, error };
  }

  private async attempt(): Promise<void> {
    await this.opts.adapter.start(this.opts.handler);
    if (this.stopped) {
      // stop() ran while this attempt was under way: leave nothing connected behind it.
      await this.opts.adapter.stop();
      return;
    }
    if (this.failures > 0) this.opts.log.info({ platform: this.platform }, "connected after all");
    this.failures = 0;
    this.lastError = undefined;
    this.opts.onConnected?.(this.platform);
  }

  private retryLater(err: Error): void {
    if (this.stopped) return;
    this.failures += 1;
    this.lastError = err.message;
    const { baseMs = 1_000, maxMs = 60_000, random = Math.random } = this.opts;
    const cap = Math.min(maxMs, baseMs * 2 ** (this.failures - 1));
    // Half fixed, half jitter: regular enough to notice the return, spread enough not to stampede it.
    const delayMs = Math.floor(cap / 2 + random() * (cap / 2));
    this.opts.log.warn(
      { platform: this.platform, attempt: this.failures, retryInMs: delayMs, err: err.message },
      `${this.platform} is unreachable; the bot keeps running, alerts stay queued, and it tries again`,
    );
    this.timer = setTimeout(() => void this.retry(), delayMs);
  }

  private async retry(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    try {
      await this.attempt();
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof PlatformUnreachableError) {
        this.retryLater(err);
        return;
      }
      this.lastError = errorMessage(err);
      this.opts.log.error({ platform: this.platform, err: this.lastError }, `${this.platform}: giving up`);
      this.opts.onFatal?.(this.platform, err);
    }
  }
}
