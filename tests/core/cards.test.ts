// What a story card names as its source: the feed for a feed story, the URL or the file for a file story.

import { describe, expect, it } from "vitest";
import { storyCard } from "../../src/core/cards.js";
import type { StorySummary } from "../../src/core/story.js";

const summary = (over: Partial<StorySummary>): StorySummary => ({
  id: "ab12cd34",
  path: "/srv/seeds/apt40.md",
  revision: 1,
  date: "2024-07-09",
  dateEstimated: false,
  title: "APT40 targets government networks",
  summary: "Summary.",
  url: null,
  source: null,
  ingestedAt: "2024-07-09T00:00:00.000Z",
  updatedAt: "2024-07-09T00:00:00.000Z",
  actors: [],
  countries: [],
  ...over,
});

describe("storyCard source", () => {
  it("names a feed story by its feed, with the item's link as the URL", () => {
    const card = storyCard(
      summary({
        path: "https://news.example/apt40",
        url: "https://news.example/apt40",
        source: "Example News",
      }),
    );
    expect(card.source).toBe("Example News");
    expect(card.url).toBe("https://news.example/apt40");
  });

  it("names a file story by its URL when it has one", () => {
    const card = storyCard(summary({ url: "https://example.org/apt40", source: "Example" }));
    expect(card.source).toBe("https://example.org/apt40");
  });

  it("names a file story without a URL by its source and file name", () => {
    expect(storyCard(summary({ source: "Example" })).source).toBe("Example (apt40.md)");
    expect(storyCard(summary({})).source).toBe("apt40.md");
  });
});

describe("isFeedKey", () => {
  it("tells a feed item's key (a URL) from a file path, in code and in the store's SQL alike", async () => {
    const { isFeedKey } = await import("../../src/core/story.js");
    const { FEED_KEY_SQL } = await import("../../src/store/sqlite/ledger.js");
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(":memory:");
    const keys = [
      "https://news.example/a",
      "http://127.0.0.1:9/feed.xml#title-ab12",
      "/srv/seeds/a.txt",
      "notes.md",
    ];
    const inSql = (path: string) =>
      db.prepare(`SELECT 1 FROM (SELECT ? AS path) WHERE ${FEED_KEY_SQL}`).pluck().get(path) === 1;
    expect(keys.map(isFeedKey)).toEqual([true, true, false, false]);
    expect(keys.map(inSql)).toEqual(keys.map(isFeedKey));
    db.close();
  });
});
