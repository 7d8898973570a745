// Digest schedules: the words ("daily at 08:00 Europe/Berlin"), the HH:MM rule and the period maths in a timezone.

import { createRequire } from "node:module";
import type * as Luxon from "luxon";
import type { DateTime } from "luxon";

let luxon: typeof Luxon | undefined;
/** luxon, loaded at the first period computed: parsing a command or a config needs none of it. */
const dates = (): typeof Luxon.DateTime => {
  luxon ??= createRequire(import.meta.url)("luxon") as typeof Luxon;
  return luxon.DateTime;
};

/** How a subscription delivers: each story as it comes ('stream'), or one digest a day or a week. */
export type SubscriptionMode = "stream" | "daily" | "weekly";
export type DigestMode = Exclude<SubscriptionMode, "stream">;

/** A digest subscription's schedule: daily at `at`, or weekly on Mondays at `at` (HH:MM, the installation's zone). */
export interface DigestSchedule {
  mode: DigestMode;
  at: string;
}

/** The time a digest goes when none is given. */
export const DEFAULT_DIGEST_AT = "08:00";

export { isValidTimeZone } from "./clock.js";

/** "08:00" or "8:00" → "08:00"; null for anything that is not a time on a 24-hour clock ("25:00", "8am"). */
export function parseDigestTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, "0")}:${m[2]}`;
}

/** "daily at 08:00 Europe/Berlin", "weekly on Mondays at 08:00 UTC"; "stream" for a streamed subscription. */
export function describeSchedule(schedule: DigestSchedule | null, zone: string): string {
  if (!schedule) return "stream (each story as it comes)";
  const when = schedule.mode === "daily" ? "daily" : "weekly on Mondays";
  return `${when} at ${schedule.at} ${zone}`;
}

/** One digest's period: stories ingested in [start, end) go in it; it is due at `end`. Times are epoch ms. */
export interface DigestPeriod {
  start: number;
  end: number;
  /** The local date of `end` ("2026-12-02"): one digest per subscription per such day. */
  id: string;
  /** "1 Dec 08:00 – 2 Dec 2026 08:00 UTC". */
  label: string;
}

function scheduledOn(day: DateTime, at: string): DateTime {
  const [hour, minute] = at.split(":").map(Number);
  // A time that does not exist that day (a DST gap) moves forward, as luxon does; one that exists twice is the first.
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** The latest scheduled time at or before `now`, and the one before it: the period of the digest due last. */
export function latestPeriod(now: number, schedule: DigestSchedule, zone: string): DigestPeriod {
  const local = dates().fromMillis(now, { zone });
  const step = schedule.mode === "daily" ? { days: 1 } : { weeks: 1 };
  // Calendar days and weeks in the zone: across a DST change a period is 23 or 25 hours (or a week less or more an hour).
  let day = schedule.mode === "daily" ? local.startOf("day") : local.startOf("week");
  if (scheduledOn(day, schedule.at).toMillis() > now) day = day.minus(step);
  const end = scheduledOn(day, schedule.at);
  const start = scheduledOn(day.minus(step), schedule.at);
  return {
    start: start.toMillis(),
    end: end.toMillis(),
    id: end.toISODate() ?? "",
    label: periodLabel(start, end),
  };
}

/** The period whose digest will carry a story ingested at `at` (the first scheduled time after it). */
export function periodOf(at: number, schedule: DigestSchedule, zone: string): DigestPeriod {
  const latest = latestPeriod(at, schedule, zone);
  const step = schedule.mode === "daily" ? { days: 1 } : { weeks: 1 };
  const end = dates().fromMillis(latest.end, { zone }).startOf("day").plus(step);
  const next = scheduledOn(end, schedule.at);
  const start = dates().fromMillis(latest.end, { zone });
  return {
    start: latest.end,
    end: next.toMillis(),
    id: next.toISODate() ?? "",
    label: periodLabel(start, next),
  };
}

function periodLabel(start: DateTime, end: DateTime): string {
  const from = start.toFormat(start.year === end.year ? "d LLL HH:mm" : "d LLL yyyy HH:mm", {
    locale: "en-GB",
  });
  const to = end.toFormat("d LLL yyyy HH:mm", { locale: "en-GB" });
  return `${from} – ${to} ${end.zoneName ?? ""}`.trim();
}

/** The outbox key of one digest: "slack:T1/C1|country:NZ|daily|2026-12-02". */
export function digestKey(channelRef: string, tag: string, mode: DigestMode, periodId: string): string {
  return `${channelRef}|${tag}|${mode}|${periodId}`;
}
