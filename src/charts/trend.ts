// A trend: stories per week about one tag, and the words that describe it (alt text, a text sparkline).

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
