// Time as a dependency, so tests can drive it.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();

/** Timers as a dependency (alerts' pacing, the feed poller): tests pass their virtual time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Whether `zone` is an IANA time zone name this runtime knows ("Europe/Berlin", "UTC"). Asks Intl directly (as luxon
 * does), and answers "UTC" without it: the default zone then costs a command no time-zone data at start.
 */
export function isValidTimeZone(zone: string): boolean {
  if (zone === "UTC" || zone === "Etc/UTC") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
