// Contract: feeds, their poll state and their chat followers, the same on SQLite and PostgreSQL.

import { expect, it } from "vitest";
import { DEFAULT_FEED_EVERY_MS, type FeedSpec } from "../../../src/core/feeds.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { contract } from "./stores.js";

const spec = (url: string, more: Partial<FeedSpec> = {}): FeedSpec => ({
  url,
  name: null,
  everyMs: DEFAULT_FEED_EVERY_MS,
  fullText: false,
  ...more,
});

const manualClock = () => {
  const clock = { t: Date.parse("2026-03-01T10:00:00Z"), now: () => clock.t };
  return clock;
};

contract("feeds", ({ open }) => {
  it("adds a feed due at once, finds it by id or any spelling of its URL, and lists it", async () => {
    const store = await open({ clock: manualClock() });
    const { feed, created } = await store.addFeed(
      spec("HTTPS://News.Example/feed.xml#top", { name: " News ", everyMs: 30_000, fullText: true }),
      "cli",
      "cli",
    );
    expect(created).toBe(true);
    expect(feed).toMatchObject({
      url: "https://news.example/feed.xml",
      name: "News",
      displayName: "News",
      everyMs: 30_000,
      fullText: true,
      origin: "cli",
      addedAt: "2026-03-01T10:00:00.000Z",
      nextPollAt: "2026-03-01T10:00:00.000Z",
      baselined: false,
      itemsSeen: 0,
      failures: 0,
      followers: [],
    });
    expect((await store.getFeed(String(feed.id)))?.url).toBe(feed.url);
    expect((await store.getFeed("https://NEWS.example/feed.xml#other"))?.id).toBe(feed.id);
    expect(await store.getFeed("https://news.example/other.xml")).toBeUndefined();
    expect(await store.getFeed("999")).toBeUndefined();
    expect(await store.getFeed("999999999999999")).toBeUndefined();
    expect(await store.getFeed("not a url")).toBeUndefined();
    const again = await store.addFeed(spec("https://news.example/feed.xml"), "cli", "cli");
    expect(again).toMatchObject({ created: false, feed: { id: feed.id, name: "News" } });
    expect((await store.listFeeds()).map((f) => f.id)).toEqual([feed.id]);
    expect((await store.stats()).feeds).toBe(1);
  });

  it("refuses a URL that is not http(s) and an interval out of range", async () => {
    const store = await open();
    await expect(store.addFeed(spec("file:///etc/passwd"), "cli", "cli")).rejects.toThrow(/http or https/);
    await expect(store.addFeed(spec("https://a.example/", { everyMs: 10 }), "cli", "cli")).rejects.toThrow(
      /interval/,
    );
  });

  it("records what a poll learned, booleans and nulls included, and only the fields given", async () => {
    const store = await open();
    const { feed } = await store.addFeed(spec("https://blog.example:8443/rss"), "cli", "cli");
    expect(feed.displayName).toBe("blog.example:8443");
    await store.updateFeed(feed.id, {
      etag: '"v1"',
      lastSuccessAt: "2026-03-01T10:01:00.000Z",
      itemsSeen: 12,
      baselined: true,
      nextPollAt: "2026-03-01T10:16:00.000Z",
      title: "The Blog",
    });
    await store.updateFeed(feed.id, { etag: null, failures: 2, lastError: "HTTP 503" });
    await store.updateFeed(feed.id, {});
    expect(await store.getFeed(String(feed.id))).toMatchObject({
      displayName: "The Blog",
      etag: null,
      lastSuccessAt: "2026-03-01T10:01:00.000Z",
      itemsSeen: 12,
      baselined: true,
      failures: 2,
      lastError: "HTTP 503",
      nextPollAt: "2026-03-01T10:16:00.000Z",
    });
  });

  it("chat adds follow in order, once; unfollowing removes a chat feed with its last follower only", async () => {
    const clock = manualClock();
    const store = await open({ clock });
    await store.addFeed(spec("https://a.example/feed"), "cli", "cli");
    const first = await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C1");
    expect(first).toMatchObject({ created: false, feed: { origin: "cli", followers: ["slack:T1/C1"] } });
    await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C1");
    clock.t += 1000;
    const second = await store.addFeed(spec("https://a.example/feed"), "chat", "discord:G1/22");
    expect(second.feed.followers).toEqual(["slack:T1/C1", "discord:G1/22"]);
    expect(await store.unfollowFeed(second.feed.id, "slack:T1/C1")).toEqual({
      unfollowed: true,
      removed: false,
    });
    expect(await store.unfollowFeed(second.feed.id, "discord:G1/22")).toEqual({
      unfollowed: true,
      removed: false,
    });
    const chat = (await store.addFeed(spec("https://b.example/feed"), "chat", "slack:T1/C1")).feed;
    expect(await store.unfollowFeed(chat.id, "slack:T1/C9")).toEqual({ unfollowed: false, removed: false });
    expect(await store.unfollowFeed(chat.id, "slack:T1/C1")).toEqual({ unfollowed: true, removed: true });
    expect(await store.getFeed(String(chat.id))).toBeUndefined();
    expect((await store.listFeeds()).map((f) => [f.url, f.followers])).toEqual([
      ["https://a.example/feed", []],
    ]);
  });

  it("removes a feed and its followers; its stories stay; a removed feed's id is never given again", async () => {
    const store = await open();
    const { feed } = await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C1");
    const key = "https://a.example/1";
    await store.saveArticles([
      { article: article(key, "One."), analysis: analysisOf(), file: { path: key, size: 1, mtimeMs: 1 } },
    ]);
    expect(await store.removeFeed(feed.id)).toBe(true);
    expect(await store.removeFeed(feed.id)).toBe(false);
    expect(await store.listFeeds()).toEqual([]);
    expect((await store.stats()).stories).toBe(1);
    const next = await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C2");
    expect(next.feed.id).toBeGreaterThan(feed.id);
    expect(next.feed.followers).toEqual(["slack:T1/C2"]);
  });

  it("syncs config feeds: adds, updates and removes only its own", async () => {
    const store = await open();
    await store.addFeed(spec("https://cli.example/feed"), "cli", "cli");
    await store.addFeed(spec("https://chat.example/feed"), "chat", "slack:T1/C1");
    const one = spec("https://one.example/feed", { name: "One" });
    const two = spec("https://two.example/feed");
    expect(await store.syncConfigFeeds([one, two, spec("https://cli.example/feed")])).toEqual({
      added: 2,
      updated: 0,
      removed: 0,
    });
    expect(await store.syncConfigFeeds([one, two])).toEqual({ added: 0, updated: 0, removed: 0 });
    const renamed = { ...one, name: "One, renamed", everyMs: 3_600_000, fullText: true };
    expect(await store.syncConfigFeeds([renamed])).toEqual({ added: 0, updated: 1, removed: 1 });
    const feeds = await store.listFeeds();
    expect(feeds.map((f) => [f.url, f.origin])).toEqual([
      ["https://cli.example/feed", "cli"],
      ["https://chat.example/feed", "chat"],
      ["https://one.example/feed", "config"],
    ]);
    expect(feeds[2]).toMatchObject({ name: "One, renamed", everyMs: 3_600_000, fullText: true });
  });
});
