// Maps what the Slack Web API client throws to the project's DeliveryError: permanent means stop posting there.

import { webApi } from "@slack/bolt";
import { DeliveryError } from "../types.js";

/**
 * Platform errors after which the same post cannot succeed without a human: the channel, the token or the
 * message itself is unusable. Any other `ok:false` code is transient: an unknown code does not prove the
 * channel is dead, and the dispatcher's attempt limit bounds the retries.
 */
const PERMANENT = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "account_inactive",
  "invalid_auth",
  "token_revoked",
  "token_expired",
  "not_authed",
  "missing_scope",
  "restricted_action",
  "team_access_not_granted",
  "ekm_access_denied",
  "invalid_blocks",
  "msg_too_long",
  "no_text",
]);

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new DeliveryError(
      "transient",
      "ratelimited",
      `Slack rate-limited the post; retry after ${err.retryAfter}s`,
      err.retryAfter * 1000,
    );
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    const kind = PERMANENT.has(code) ? "permanent" : "transient";
    return new DeliveryError(kind, code, `Slack refused the post: ${code}`);
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    // Slack itself only answers 200 or 429; any other status comes from an outage or a proxy in between, and
    // says nothing about the channel, so it must not get the channel's subscription disabled.
    return new DeliveryError("transient", `http_${err.statusCode}`, `Slack answered HTTP ${err.statusCode}`);
  }
  if (err instanceof webApi.WebAPIRequestError) {
    const original = err.original;
    const timedOut = original.name === "TimeoutError" || original.name === "AbortError";
    return new DeliveryError(
      "transient",
      timedOut ? "timeout" : "network",
      timedOut ? "Slack did not answer in time" : `Could not reach Slack: ${original.message}`,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  // Anything else (a bug, an unexpected library error) is retried a bounded number of times by the dispatcher.
  return new DeliveryError("transient", "unknown", `Slack post failed: ${message}`);
}
