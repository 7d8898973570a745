// config/feeds.yaml and the words feeds are typed in: the file's entries become FeedSpecs, a bad file is one line
// naming the file, the entry and the problem; --every intervals, the feed URL rule and health in relative times.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFeedsFile, readFeedsFile } from "../../src/config/feeds.js";
import { loadConfig } from "../../src/config/load.js";
import { CyberbriefError } from "../../src/core/errors.js";
import {
  feedHealth,
  feedUrl,
  formatEvery,
  parseEvery,
  relativeTime,
  shownUrl,
} from "../../src/core/feed-text.js";
import type { Feed } from "../../src/core/feeds.js";
import { packagePath } from "../../src/core/paths.js";
import { feedRecord } from "../helpers/feed-record.js";
import { tempDir } from "../helpers/tmp.js";

/** The one line a bad file gives. */
function problem(text: string): string {
  try {
    parseFeedsFile(text, "feeds.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(CyberbriefError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("the file was accepted");
}

describe("config/feeds.yaml", () => {
  it("reads each entry as a feed spec with the defaults filled in", () => {
    const text = [
      "# my feeds",
      "- url: HTTPS://News.Example/feed.xml#x",
      "  name: News",
      "  every: 2h",
      "  fullText: true",
      "- url: http://127.0.0.1:8080/rss",
    ].join("\n");
    expect(parseFeedsFile(text, "feeds.yaml")).toEqual([
      { url: "https://news.example/feed.xml", name: "News", everyMs: 7_200_000, fullText: true },
      { url: "http://127.0.0.1:8080/rss", name: null, everyMs: 900_000, fullText: false },
    ]);
  });

  it("a missing, empty or comments-only file is no feeds", () => {
    const dir = tempDir();
    expect(readFeedsFile(join(dir, "none.yaml"))).toEqual([]);
    writeFileSync(join(dir, "empty.yaml"), "# nothing yet\n");
    expect(readFeedsFile(join(dir, "empty.yaml"))).toEqual([]);
    expect(parseFeedsFile("", "x")).toEqual([]);
  });

  it("the shipped example parses (all of it commented out) and no live feeds.yaml ships", () => {
    expect(readFeedsFile(packagePath("config", "feeds.example.yaml"))).toEqual([]);
    expect(readFeedsFile(packagePath("config", "feeds.yaml"))).toEqual([]);
  });

  it.each([
    ["- url: [", /^feeds\.yaml: not valid YAML: .*line 1/],
    ["url: https://a.example/feed", /^feeds\.yaml: expected a list of feeds/],
    ["- https://a.example/feed", /^feeds\.yaml: entry 1: expected url, name, every and fullText/],
    ["- name: No URL", /^feeds\.yaml: entry 1: url: expected the feed's address/],
    [
      "- url: https://a.example/\n  evry: 2h",
      /^feeds\.yaml: entry 1 \(https:\/\/a\.example\/\): unknown key 'evry'/,
    ],
    [
      "- url: https://a.example/\n  every: 2d",
      /^feeds\.yaml: entry 1 \(https:\/\/a\.example\/\): every: "2d" is not a poll interval/,
    ],
    ["- url: https://a.example/\n  every: 30", /entry 1 .*every: "30" is not a poll interval/],
    ["- url: https://a.example/\n  fullText: yes please", /entry 1 .*fullText: expected true or false/],
    [
      "- url: https://ok.example/\n- url: ftp://a.example/f",
      /^feeds\.yaml: entry 2 \(ftp:\/\/a\.example\/f\): .*http or https only/,
    ],
    ["- url: not a url", /entry 1 \(not a url\): "not a url" is not a URL/],
    [
      "- url: https://a.example/f\n- url: HTTPS://A.EXAMPLE/f#top",
      /^feeds\.yaml: entry 2 .*the same feed as entry 1/,
    ],
  ])("refuses %j in one line", (text, expected) => {
    expect(problem(text)).toMatch(expected);
  });

  it("its path: the package's config/feeds.yaml, else CYBERBRIEF_FEEDS_FILE, else --feeds (relative to the working folder)", () => {
    const cwd = tempDir();
    expect(loadConfig({ env: {}, cwd }).feedsFile).toBe(packagePath("config", "feeds.yaml"));
    expect(loadConfig({ env: { CYBERBRIEF_FEEDS_FILE: "mine.yaml" }, cwd }).feedsFile).toBe(
      join(cwd, "mine.yaml"),
    );
    const flagged = loadConfig({
      env: { CYBERBRIEF_FEEDS_FILE: "mine.yaml" },
      cwd,
      flags: { feeds: "/etc/cb/feeds.yaml" },
    });
    expect(flagged.feedsFile).toBe("/etc/cb/feeds.yaml");
  });
});

describe("poll intervals", () => {
  it.each([
    ["30s", 30_000],
    ["5s", 5_000],
    ["15m", 900_000],
    ["2h", 7_200_000],
    ["168h", 604_800_000],
    [" 10M ", 600_000],
  ])("%j is %d ms", (text, ms) => {
    expect(parseEvery(text)).toEqual({ ms });
  });

  it.each(["0.5s", "169h", "15", "m", "1.5h", "15 minutes", "2d", "-5m", "0s", "15m30s", ""])(
    "refuses %j",
    (text) => {
      const result = parseEvery(text);
      expect("problem" in result && result.problem).toMatch(
        /is not a poll interval: .*30s, 15m, 2h.*1s to 7 days/,
      );
    },
  );

  it("writes an interval the way it is read", () => {
    expect([900_000, 7_200_000, 45_000, 90_000].map(formatEvery)).toEqual(["15m", "2h", "45s", "90s"]);
    for (const text of ["30s", "15m", "2h"]) {
      const parsed = parseEvery(text);
      expect("ms" in parsed && formatEvery(parsed.ms)).toBe(text);
    }
  });
});

describe("feed URLs", () => {
  it("normalise scheme and host case and drop the fragment; path and query stay as written", () => {
    expect(feedUrl("HTTP://Example.COM:80/Feed.xml?Q=1#frag")).toEqual({
      url: "http://example.com/Feed.xml?Q=1",
    });
  });

  it.each(["file:///etc/passwd", "ftp://a.example/f", "javascript:alert(1)", "gopher://x"])(
    "refuse %j",
    (text) => {
      const result = feedUrl(text);
      expect("problem" in result && result.problem).toMatch(/http or https only/);
    },
  );
});

describe("feed health", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");
  const feed = (more: Partial<Feed>): Feed =>
    feedRecord({ url: "https://a.example/feed", nextPollAt: "2026-03-01T12:00:00Z", ...more });

  it("says what has happened in relative times", () => {
    expect(relativeTime("2026-03-01T11:55:00Z", now)).toBe("5 min ago");
    expect(relativeTime("2026-03-01T15:00:00Z", now)).toBe("in 3 h");
    expect(relativeTime("2026-02-26T12:00:00Z", now)).toBe("3 days ago");
    expect(feedHealth(feed({}), now)).toBe("not polled yet · no errors · 0 items seen · next poll due now");
    expect(
      feedHealth(
        feed({
          lastPollAt: "2026-03-01T11:50:00Z",
          lastSuccessAt: "2026-03-01T11:50:00Z",
          lastError: "HTTP 503\nService Unavailable",
          lastErrorAt: "2026-03-01T10:00:00Z",
          itemsSeen: 1,
          nextPollAt: "2026-03-01T12:05:00Z",
        }),
        now,
      ),
    ).toBe(
      "last success 10 min ago · last error 2 h ago: HTTP 503 Service Unavailable · 1 item seen · next poll in 5 min",
    );
    expect(
      feedHealth(feed({ failingSince: "2026-02-28T12:00:00Z", failures: 9, lastPollAt: "x" }), now),
    ).toMatch(/^UNHEALTHY: failing since 24 h ago \(9 failures in a row\) · no successful poll yet/);
    // One or two failures are a blip being retried, not yet an unhealthy feed.
    expect(
      feedHealth(feed({ failingSince: "2026-03-01T11:50:00Z", failures: 2, lastPollAt: "x" }), now),
    ).toMatch(/^retrying after 2 errors · no successful poll yet/);
  });
});

describe("shownUrl", () => {
  it.each([
    ["https://user:s3cret@news.example/feed", "https://user:***@news.example/feed"],
    ["https://news.example/feed?token=abc123&lang=en", "https://news.example/feed?token=***&lang=en"],
    ["https://news.example/feed?API_KEY=x&sig=y", "https://news.example/feed?API_KEY=***&sig=***"],
    ["https://news.example/feed?page=2", "https://news.example/feed?page=2"],
  ])("shows %s as %s", (url, shown) => {
    expect(shownUrl(url)).toBe(shown);
  });
});
