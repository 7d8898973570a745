// Digest schedules: the HH:MM rule, the zone check, and periods in a zone across its DST changes.

import { describe, expect, it } from "vitest";
import {
  describeSchedule,
  digestKey,
  isValidTimeZone,
  latestPeriod,
  parseDigestTime,
  periodOf,
} from "../../src/core/digest.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const DAILY = { mode: "daily" as const, at: "08:00" };
const WEEKLY = { mode: "weekly" as const, at: "08:00" };

describe("digest times and zones", () => {
  it("reads HH:MM on a 24-hour clock and refuses anything else", () => {
    expect(parseDigestTime("08:00")).toBe("08:00");
    expect(parseDigestTime("8:05")).toBe("08:05");
    expect(parseDigestTime("23:59")).toBe("23:59");
    for (const bad of ["25:00", "24:00", "8am", "08:60", "0800", "8", "", "08:00:00", "-1:00"])
      expect(parseDigestTime(bad)).toBeNull();
  });

  it("knows IANA zones", () => {
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Pacific/Auckland")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("CEST+1")).toBe(false);
  });

  it("describes a schedule with its zone", () => {
    expect(describeSchedule(DAILY, "Europe/Berlin")).toBe("daily at 08:00 Europe/Berlin");
    expect(describeSchedule(WEEKLY, "UTC")).toBe("weekly on Mondays at 08:00 UTC");
    expect(digestKey("slack:T1/C1", "country:NZ", "daily", "2026-12-02")).toBe(
      "slack:T1/C1|country:NZ|daily|2026-12-02",
    );
  });
});

describe("digest periods", () => {
  it("a daily period ends at the latest 08:00 at or before now, and starts a day earlier", () => {
    const p = latestPeriod(at("2026-12-02T09:30:00Z"), DAILY, "UTC");
    expect(iso(p.start)).toBe("2026-12-01T08:00:00.000Z");
    expect(iso(p.end)).toBe("2026-12-02T08:00:00.000Z");
    expect(p.id).toBe("2026-12-02");
    expect(p.label).toBe("1 Dec 08:00 – 2 Dec 2026 08:00 UTC");
    // Just before 08:00 the latest due period is the day before's.
    expect(latestPeriod(at("2026-12-02T07:59:59Z"), DAILY, "UTC").id).toBe("2026-12-01");
    // At 08:00 exactly it is due.
    expect(latestPeriod(at("2026-12-02T08:00:00Z"), DAILY, "UTC").id).toBe("2026-12-02");
  });

  it("reads 08:00 in the zone: Berlin's 08:00 is 07:00 UTC in winter and 06:00 UTC in summer", () => {
    expect(iso(latestPeriod(at("2026-12-02T12:00:00Z"), DAILY, "Europe/Berlin").end)).toBe(
      "2026-12-02T07:00:00.000Z",
    );
    expect(iso(latestPeriod(at("2026-07-02T12:00:00Z"), DAILY, "Europe/Berlin").end)).toBe(
      "2026-07-02T06:00:00.000Z",
    );
  });

  it("across the spring DST change the period is 23 hours, and 25 in autumn; 08:00 stays 08:00 local", () => {
    // Berlin moves clocks forward on 29 March 2026 (02:00 → 03:00) and back on 25 October 2026.
    const spring = latestPeriod(at("2026-03-29T12:00:00Z"), DAILY, "Europe/Berlin");
    expect(iso(spring.start)).toBe("2026-03-28T07:00:00.000Z");
    expect(iso(spring.end)).toBe("2026-03-29T06:00:00.000Z");
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    const autumn = latestPeriod(at("2026-10-25T12:00:00Z"), DAILY, "Europe/Berlin");
    expect(iso(autumn.start)).toBe("2026-10-24T06:00:00.000Z");
    expect(iso(autumn.end)).toBe("2026-10-25T07:00:00.000Z");
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
    // Consecutive periods meet: nothing falls between two digests.
    const next = latestPeriod(at("2026-03-30T12:00:00Z"), DAILY, "Europe/Berlin");
    expect(next.start).toBe(spring.end);
  });

  it("a time that does not exist on the DST day (02:30) moves forward an hour that day only", () => {
    const gap = { mode: "daily" as const, at: "02:30" };
    expect(iso(latestPeriod(at("2026-03-29T12:00:00Z"), gap, "Europe/Berlin").end)).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    expect(iso(latestPeriod(at("2026-03-30T12:00:00Z"), gap, "Europe/Berlin").end)).toBe(
      "2026-03-30T00:30:00.000Z",
    );
  });

  it("a weekly period ends on the latest Monday at 08:00 and spans a week (a DST week is an hour shorter)", () => {
    // Wednesday 2 December 2026: the latest Monday 08:00 is 30 November.
    const p = latestPeriod(at("2026-12-02T12:00:00Z"), WEEKLY, "UTC");
    expect(iso(p.end)).toBe("2026-11-30T08:00:00.000Z");
    expect(iso(p.start)).toBe("2026-11-23T08:00:00.000Z");
    // Monday 30 November before 08:00: the week before.
    expect(latestPeriod(at("2026-11-30T07:00:00Z"), WEEKLY, "UTC").id).toBe("2026-11-23");
    const dst = latestPeriod(at("2026-03-31T12:00:00Z"), WEEKLY, "Europe/Berlin");
    expect(iso(dst.end)).toBe("2026-03-30T06:00:00.000Z");
    expect(dst.end - dst.start).toBe(7 * 24 * 3_600_000 - 3_600_000);
  });

  it("the period a story goes in is the next one due after it was stored", () => {
    const p = periodOf(at("2026-12-02T09:30:00Z"), DAILY, "UTC");
    expect(iso(p.start)).toBe("2026-12-02T08:00:00.000Z");
    expect(iso(p.end)).toBe("2026-12-03T08:00:00.000Z");
    const w = periodOf(at("2026-12-02T09:30:00Z"), WEEKLY, "UTC");
    expect(iso(w.end)).toBe("2026-12-07T08:00:00.000Z");
  });
});
