// A whole `Feed` as the store gives it, for tests that need one without a store: a healthy operator feed, due now.

import type { Feed } from "../../src/core/feeds.js";

export function feedRecord(more: Partial<Feed> = {}): Feed {
  const at = "2026-03-01T09:00:00Z";
  return {
    id: 1,
    url: "https://a.example/feed.xml",
    name: null,
    everyMs: 900_000,
    fullText: false,
    displayName: "a.example",
    origin: "cli",
    addedBy: "cli",
    addedAt: at,
    followers: [],
    etag: null,
    lastModified: null,
    lastPollAt: null,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
    failingSince: null,
    failures: 0,
    nextPollAt: at,
    itemsSeen: 0,
    baselined: false,
    unhealthyNotifiedAt: null,
    bodyHash: null,
    title: null,
    ...more,
  };
}
