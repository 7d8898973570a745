// Maps discord.js and REST failures to DeliveryError (for the dispatcher) and CyberbriefError (for start-up).

import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from "discord.js";
import { CyberbriefError, errorMessage } from "../../core/errors.js";
import { DeliveryError, PlatformUnreachableError } from "../types.js";

/**
 * The channel is gone or closed to the bot: retrying cannot help, so the dispatcher disables the subscription.
 * A bot removed from its guild gets Missing Access (or Unknown Guild) on every channel there.
 */
const PERMANENT = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);

const TOKEN_HELP =
  "Copy the bot token from https://discord.com/developers/applications (your app → Bot → Reset Token) into DISCORD_TOKEN.";

/** Error codes of network failures that say nothing about the channel. */
function networkCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === "string" ? code : undefined;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");
}

/** Classifies a failed send. Anything not known to be about the channel itself stays transient. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) {
    return new DeliveryError(
      "transient",
      "rate_limited",
      `Discord rate limit on ${err.route}: retry in ${err.retryAfter} ms`,
      err.retryAfter,
    );
  }
  if (tokenRefused(err)) {
    // The token, not the channel: the dispatcher pauses Discord as a whole and keeps its alerts queued.
    return new DeliveryError("auth", "401", `Discord rejected DISCORD_TOKEN (${errorMessage(err)})`);
  }
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === "number" ? err.code : Number.NaN;
    const kind = PERMANENT.has(code) ? "permanent" : "transient";
    // Other 4xx (an invalid body, a revoked token) are the bot's problem, not the channel's: they must not
    // get a subscription disabled, so they are retried and eventually dropped by the dispatcher.
    return new DeliveryError(
      kind,
      String(err.code || `http_${err.status}`),
      `Discord ${err.status}: ${err.message}`,
    );
  }
  if (err instanceof HTTPError) {
    return new DeliveryError("transient", `http_${err.status}`, `Discord ${err.status}: ${err.message}`);
  }
  if (isAbort(err)) return new DeliveryError("transient", "timeout", "Discord did not answer in time");
  const net = networkCode(err);
  return new DeliveryError("transient", net ?? "network", `Could not reach Discord: ${errorMessage(err)}`);
}

/**
 * A 401, or what the REST client throws afterwards: after a 401 it forgets the token, and every later request
 * fails before leaving the process with "Expected token to be set".
 */
function tokenRefused(err: unknown): boolean {
  if (err instanceof DiscordAPIError) return err.status === 401;
  return err instanceof Error && /^Expected token to be set/.test(err.message);
}

/** Unknown Message: an alert to edit was deleted; a new message is posted instead. */
export const isUnknownMessage = (err: unknown): boolean =>
  err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage;

/** Turns a start-up or registration failure into an error that says what to fix, or to retry later. */
export function toStartupError(err: unknown, apiUrl: string): CyberbriefError {
  if (err instanceof CyberbriefError) return err;
  const djsCode = (err as { code?: unknown }).code;
  if (djsCode === "TokenInvalid" || (err instanceof DiscordAPIError && err.status === 401)) {
    return new CyberbriefError("discord/token-rejected", `Discord rejected DISCORD_TOKEN. ${TOKEN_HELP}`, {
      cause: err,
    });
  }
  if (err instanceof DiscordAPIError) {
    return new CyberbriefError(
      "discord/api",
      `Discord refused the request (${err.status} ${err.code}): ${err.message}`,
      {
        cause: err,
      },
    );
  }
  return new PlatformUnreachableError(
    "discord/unreachable",
    `Could not reach Discord at ${apiUrl}: ${errorMessage(err)}. Check the network, or DISCORD_API_URL if you use a proxy.`,
    { cause: err },
  );
}

export function tokenRejected(detail: string): CyberbriefError {
  return new CyberbriefError(
    "discord/token-rejected",
    `Discord rejected DISCORD_TOKEN (${detail}). ${TOKEN_HELP}`,
  );
}
