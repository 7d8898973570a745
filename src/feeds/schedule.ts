// When a feed is polled next, and when its followers hear about it: the interval after a success (never sooner
// than the server's max-age), exponential backoff with jitter after failures, and the one-day rule for notices.

/** Backoff never waits longer than this between attempts (but never less than the feed's own interval). */
export const BACKOFF_CAP_MS = 6 * 3600_000;
/** A server's max-age stretches the interval up to this, no further (a year-long max-age is a mistake). */
export const MAX_AGE_CAP_MS = 24 * 3600_000;
/** Followers hear of a failing feed only once it has failed for this long. */
export const NOTICE_AFTER_MS = 24 * 3600_000;

/** The delay before the next poll after a success (a 200 or a 304). */
export function afterSuccess(everyMs: number, maxAgeMs: number | null): number {
  if (maxAgeMs === null || maxAgeMs <= everyMs) return everyMs;
  return Math.min(maxAgeMs, Math.max(everyMs, MAX_AGE_CAP_MS));
}

/**
 * The delay before the next attempt after `failures` failures in a row (1 for the first): the interval doubled
 * per failure up to the cap, then "full jitter" between half and all of it (`random` in [0, 1)), so many feeds of
 * one host that failed together do not come back together. A Retry-After is honoured on top.
 */
export function afterFailure(
  everyMs: number,
  failures: number,
  retryAfterMs: number | null,
  random: () => number,
): number {
  const cap = Math.max(everyMs, BACKOFF_CAP_MS);
  const exp = Math.min(cap, everyMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  const jittered = Math.round(exp / 2 + (exp / 2) * random());
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Whether a failing feed's followers should be told now: failing for a day, and not told yet. */
export function dueUnhealthyNotice(
  failingSince: string | null,
  notifiedAt: string | null,
  now: number,
): boolean {
  if (failingSince === null || notifiedAt !== null) return false;
  return now - Date.parse(failingSince) >= NOTICE_AFTER_MS;
}

/** "15m", "2h", "30s", "1h 30m": a duration as people write intervals. */
export function shortDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))}s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
  return `${Math.round(hours / 24)}d`;
}
