// The header readers of the fetcher: Cache-Control max-age and Retry-After (seconds or HTTP-date), and the
// wording of sizes and times in failure reasons.

import { describe, expect, it } from "vitest";
import { formatBytes, formatMs, maxAgeMs, retryAfterMs } from "../../src/feeds/http-headers.js";

describe("maxAgeMs", () => {
  it.each([
    ["max-age=300", 300_000],
    ["public, max-age=600, must-revalidate", 600_000],
    ["MAX-AGE = 60", 60_000],
    ['max-age="120"', 120_000],
    ["max-age=0", 0],
    ["s-maxage=900, max-age=30", 30_000],
  ])("reads %j as %i ms", (header, ms) => {
    expect(maxAgeMs(header)).toBe(ms);
  });

  it.each([null, "", "no-cache", "s-maxage=900", "max-age=soon", "max-age=-5", "max-age=1.5"])(
    "gives null for %j",
    (header) => {
      expect(maxAgeMs(header)).toBeNull();
    },
  );
});

describe("retryAfterMs", () => {
  const now = Date.parse("2015-10-21T07:00:00Z");

  it("reads delay-seconds", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
  });

  it.each([
    ["Wed, 21 Oct 2015 07:28:00 GMT", 28 * 60_000], // IMF-fixdate
    ["Wednesday, 21-Oct-15 07:28:00 GMT", 28 * 60_000], // RFC 850
    ["Wed Oct 21 07:28:00 2015", 28 * 60_000], // asctime: no zone written, GMT meant
  ])("reads the HTTP-date %j as the time from now until then", (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });

  it("gives 0 for a date already past", () => {
    expect(retryAfterMs("Wed, 21 Oct 2015 06:00:00 GMT", now)).toBe(0);
  });

  it.each([null, "", "soon", "-5", "1.5", "2015-10-21T07:28:00Z", "Wed, 99 Foo 2015 GMT"])(
    "gives null for %j",
    (header) => {
      expect(retryAfterMs(header, now)).toBeNull();
    },
  );
});

describe("wording", () => {
  it.each([
    [5 * 1024 * 1024, "5 MB"],
    [64 * 1024, "64 KB"],
    [1000, "1000 bytes"],
  ])("formatBytes(%i) is %j", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [300, "300 ms"],
    [30_000, "30 s"],
    [2500, "2.5 s"],
  ])("formatMs(%i) is %j", (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
