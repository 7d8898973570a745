// A trend: stories per week about one tag (Monday-based UTC weeks, day counts bucketed into them), and the
// words that describe it (alt text, a text sparkline).

export const DEFAULT_WEEKS = 26;
export const LONG_WEEKS = 52;

export interface Trend {
  /** The canonical name the chart is titled with: "APT40", "China (blamed)", "Sector healthcare". */
  subject: string;
  /** Mondays (YYYY-MM-DD) of the weeks, oldest first. */
  weeks: string[];
  /** Stories per week, one per week. */
  counts: number[];
}

export const totalOf = (t: Trend): number => t.counts.reduce((a, b) => a + b, 0);

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "1 Jun 2026" for a YYYY-MM-DD date. */
export function dayLabel(date: string, year = true): string {
  const [y, m, d] = date.split("-");
  const month = MONTHS[Number(m) - 1] ?? m;
  return `${Number(d)} ${month}${year ? ` ${y}` : ""}`;
}

export const chartTitle = (t: Trend): string => `${t.subject}: stories per week`;

/** What the chart shows in words: the period, the total, and every week's count (screen readers, Slack's alt_text). */
export function altText(t: Trend): string {
  const first = t.weeks[0] ?? "";
  const last = t.weeks[t.weeks.length - 1] ?? "";
  const weeks = t.weeks.map((w, i) => `${dayLabel(w, false)}: ${t.counts[i] ?? 0}`).join(", ");
  const total = totalOf(t);
  return (
    `Bar chart of stories per week about ${t.subject}, ${t.weeks.length} weeks from the week of ` +
    `${dayLabel(first)} to the week of ${dayLabel(last)}; ${total} ${total === 1 ? "story" : "stories"} in all. ` +
    `Weeks starting ${weeks}.`
  );
}

const BLOCKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/** The counts as block characters, the highest week a full block; an empty week is a space-width low bar. */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  return counts.map((c) => (max === 0 ? BLOCKS[0] : BLOCKS[Math.min(7, Math.round((c / max) * 7))])).join("");
}

// ---- Weeks ----
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
