// The retry policy: exponential backoff with full jitter, honouring the platform's retry-after, bounded in attempts.

import { errorMessage } from "../core/errors.js";
import { DeliveryError } from "./types.js";

export interface RetryPolicy {
  maxAttempts: number;
  baseRetryMs: number;
  maxRetryMs: number;
}

export type RetryDecision =
  | { action: "retry"; delayMs: number }
  | { action: "fail"; reason: string }
  | { action: "disable"; reason: string };

/**
 * Codes that condemn one message, not the channel (Slack answers these for a message it will never accept):
 * the delivery fails, the subscription stays.
 */
export const MESSAGE_SCOPED_CODES: ReadonlySet<string> = new Set([
  "invalid_blocks",
  "msg_too_long",
  "no_text",
]);

/** Anything an adapter throws, as a DeliveryError; unknown errors are transient so a bug cannot disable a channel. */
export function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  return new DeliveryError("transient", "unknown", errorMessage(err));
}

export const describeFailure = (err: DeliveryError): string => `${err.code}: ${err.message}`;

/**
 * Full jitter (a uniform draw below the capped exponential) spreads the retries of many channels that failed
 * together, so a recovering platform is not hit by all of them at once.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxRetryMs, policy.baseRetryMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/** What to do after `attempts` tries (counting this one) ended in `err`. */
export function decide(
  err: DeliveryError,
  attempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const reason = describeFailure(err);
  if (err.kind === "permanent") {
    return MESSAGE_SCOPED_CODES.has(err.code) ? { action: "fail", reason } : { action: "disable", reason };
  }
  if (attempts >= policy.maxAttempts)
    return { action: "fail", reason: `${reason} (after ${attempts} attempts)` };
  const jittered = backoffMs(attempts, policy, random);
  // A retry-after is the platform saying exactly when; waiting less would only earn another 429.
  const delayMs = err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, jittered) : jittered;
  return { action: "retry", delayMs };
}

/** Failures that say the platform, not one channel, is unreachable: they open the platform's circuit. */
export function isOutage(err: DeliveryError): boolean {
  return (
    err.kind === "transient" &&
    err.retryAfterMs === undefined &&
    /^(network|timeout|not_started|not_connected|http_5\d\d|E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(err.code)
  );
}
