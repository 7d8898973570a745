// Weeks for trend charts: Monday-based UTC weeks ending with the current one, and day counts bucketed into them.

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date (UTC); NaN for anything else. */
export function dayNumber(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}/.test(date)) return Number.NaN;
  return Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The Monday of the week holding `day` (1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday). */
const mondayOf = (day: number): number => day - ((day + 3) % 7);

/** The Monday (YYYY-MM-DD) of each of the `weeks` weeks that end with the week holding `today`, oldest first. */
export function weekStarts(today: string, weeks: number): string[] {
  const last = mondayOf(dayNumber(today));
  return Array.from({ length: weeks }, (_, i) => dateOfDay(last - 7 * (weeks - 1 - i)));
}

/** The last day (a Sunday) of the week that starts on `monday`. */
export const weekEnd = (monday: string): string => dateOfDay(dayNumber(monday) + 6);

/** Counts per day summed into the weeks starting on `starts` (oldest first); days outside them are left out. */
export function bucketByWeek(
  days: ReadonlyArray<{ date: string; count: number }>,
  starts: string[],
): number[] {
  const counts = starts.map(() => 0);
  const first = dayNumber(starts[0] ?? "");
  for (const d of days) {
    const index = Math.floor((dayNumber(d.date) - first) / 7);
    if (index >= 0 && index < counts.length) counts[index] = (counts[index] ?? 0) + d.count;
  }
  return counts;
}
