// What the fetcher reads from answer headers (Cache-Control max-age, Retry-After) and how it words sizes and times.

/**
 * `max-age` of a Cache-Control header in milliseconds (`max-age=300` → 300000), or null when the header is
 * absent or has no valid max-age. `s-maxage` is for shared caches and is ignored: the poller is a private one.
 */
export function maxAgeMs(cacheControl: string | null): number | null {
  if (!cacheControl) return null;
  for (const directive of cacheControl.split(",")) {
    const match = /^\s*max-age\s*=\s*"?(\d{1,10})"?\s*$/i.exec(directive);
    if (match?.[1] !== undefined) return Number(match[1]) * 1000;
  }
  return null;
}

const WEEKDAY = /^(mon|tue|wed|thu|fri|sat|sun)/i;

/**
 * Retry-After in milliseconds from `now`: delay-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`,
 * and the obsolete RFC 850 and asctime forms, all in GMT). A date in the past gives 0; anything else gives null.
 */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!WEEKDAY.test(text)) return null;
  // asctime ("Sun Nov  6 08:49:37 1994") carries no zone; HTTP-dates are always GMT.
  const at = Date.parse(/\bGMT$/i.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** "5 MB", "64 KB" or "1000 bytes": the cap as people read it. */
export function formatBytes(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** "300 ms", "30 s" or "2.5 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}
