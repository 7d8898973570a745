// Maps what the Slack Web API client throws to the project's errors: DeliveryError for posts (permanent means stop
// posting there, auth means the token is refused everywhere) and fatal or retryable errors for start-up.

import { webApi } from "@slack/bolt";
import { CyberbriefError, errorMessage } from "../../core/errors.js";
import { DeliveryError, PlatformUnreachableError } from "../types.js";

/**
 * Refusals of the bot token itself: every channel would fail alike, so they pause Slack as a whole instead of
 * switching channels off, and at start-up they are fatal. missing_scope is the token's too (its granted scopes).
 */
export const AUTH_CODES: ReadonlySet<string> = new Set([
  "invalid_auth",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "not_authed",
  "missing_scope",
  "not_allowed_token_type",
]);

/** Editing a message that is gone or no longer editable: post a new message instead. */
export const EDIT_GONE: ReadonlySet<string> = new Set([
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
]);

/**
 * Platform errors after which the same post cannot succeed without a human: the channel or the message itself
 * is unusable. Any other `ok:false` code is transient: an unknown code does not prove the channel is dead, and
 * the dispatcher's attempt limit bounds the retries.
 */
const PERMANENT = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
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
    if (AUTH_CODES.has(code)) {
      return new DeliveryError("auth", code, `Slack refused SLACK_BOT_TOKEN (${code})`);
    }
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
      timedOut ? "Slack did not answer in time" : `Could not reach Slack: ${networkReason(original)}`,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  // Anything else (a bug, an unexpected library error) is retried a bounded number of times by the dispatcher.
  return new DeliveryError("transient", "unknown", `Slack post failed: ${message}`);
}

/** A start-up failure: a refused token names its variable and is fatal; anything else is retried later. */
export function startupError(variable: string, err: unknown, apiUrl: string): CyberbriefError {
  if (err instanceof webApi.WebAPIPlatformError && AUTH_CODES.has(err.data.error)) {
    return new CyberbriefError(
      "slack/auth",
      `Slack refused ${variable} (${err.data.error}); check the token of the installed app`,
      { cause: err },
    );
  }
  const why =
    err instanceof webApi.WebAPIPlatformError
      ? `Slack answered ${err.data.error}`
      : err instanceof webApi.WebAPIRequestError
        ? networkReason(err.original)
        : errorMessage(err);
  return new PlatformUnreachableError("slack/unreachable", `Could not reach Slack at ${apiUrl}: ${why}`, {
    cause: err,
  });
}

/** "fetch failed" says nothing: the code of its cause does (ECONNREFUSED, ENOTFOUND, ...). */
function networkReason(err: Error): string {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return `${err.message} (${code})`;
  }
  return err.message;
}
