// Feeds in the SQLite store: migration 4 (fresh and over a version-3 database with data), adding, listing,
// finding, updating, removing and syncing feeds, chat followers, and the ledger's fileRecords.

import { join } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DEFAULT_FEED_EVERY_MS, type FeedSpec } from "../../src/core/feeds.js";
import { migrate, migrations } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, file, ManualClock, tags } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const spec = (url: string, more: Partial<FeedSpec> = {}): FeedSpec => ({
  url,
  name: null,
  everyMs: DEFAULT_FEED_EVERY_MS,
  fullText: false,
  ...more,
});

function openStore() {
  const clock = new ManualClock(Date.parse("2026-03-01T10:00:00Z"));
  return { clock, store: new SqliteStoryStore(join(tempDir(), "cb.db"), { clock }) };
}

describe("migration 4", () => {
  it("on a fresh database makes feeds, feed_followers and files.quiet, and is a no-op the second time", () => {
    const db = new Database(join(tempDir(), "m.db"));
    expect(migrate(db)).toContain(4);
    expect(migrate(db)).toEqual([]);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(["feeds", "feed_followers"]));
    const fileColumns = db.prepare("SELECT name FROM pragma_table_info('files')").pluck().all();
    expect(fileColumns).toContain("quiet");
    db.close();
  });

  it("over a version-3 database keeps its stories and ledger rows, which are not quiet", async () => {
    const path = join(tempDir(), "v3.db");
    const db = new Database(path);
    expect(migrate(db, migrations.slice(0, 3))).toEqual([1, 2, 3]);
    db.prepare(
      `INSERT INTO stories (id, path, content_hash, date, title, body, summary, ingested_at, updated_at)
       VALUES ('abcd1234', '/seeds/a.txt', 'h1', '2024-01-01', 'Old', 'Old body.', 's', 'x', 'x')`,
    ).run();
    db.prepare(
      `INSERT INTO files (path, size, mtime_ms, content_hash, story_id, status, seen_at)
       VALUES ('/seeds/a.txt', 9, 1, 'h1', 'abcd1234', 'stored', 'x')`,
    ).run();
    db.close();
    const store = new SqliteStoryStore(path);
    expect((await store.stats()).stories).toBe(1);
    expect((await store.fileIndex()).get("/seeds/a.txt")).toMatchObject({ status: "stored", quiet: false });
    expect(await store.listFeeds()).toEqual([]);
    expect(migrate(store.db)).toEqual([]);
    await store.close();
  });
});

describe("the feed store", () => {
  it("adds a feed due at once, finds it by id or by any spelling of its URL, and lists it", async () => {
    const { store } = openStore();
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
      addedBy: "cli",
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
    expect(await store.getFeed("not a url")).toBeUndefined();
    const again = await store.addFeed(spec("https://news.example/feed.xml"), "cli", "cli");
    expect(again).toMatchObject({ created: false, feed: { id: feed.id, name: "News" } });
    expect((await store.listFeeds()).map((f) => f.id)).toEqual([feed.id]);
    await store.close();
  });

  it("refuses a URL that is not http(s) and an interval out of range", async () => {
    const { store } = openStore();
    await expect(store.addFeed(spec("file:///etc/passwd"), "cli", "cli")).rejects.toThrow(/http or https/);
    await expect(store.addFeed(spec("https://a.example/", { everyMs: 10 }), "cli", "cli")).rejects.toThrow(
      /interval/,
    );
    await store.close();
  });

  it("names a feed by its name, else its title, else its host", async () => {
    const { store } = openStore();
    const { feed } = await store.addFeed(spec("https://blog.example:8443/rss"), "cli", "cli");
    expect(feed.displayName).toBe("blog.example:8443");
    await store.updateFeed(feed.id, { title: "The Blog" });
    expect((await store.getFeed(String(feed.id)))?.displayName).toBe("The Blog");
    await store.close();
  });

  it("records what a poll learned, booleans and nulls included, and only the fields given", async () => {
    const { store } = openStore();
    const { feed } = await store.addFeed(spec("https://a.example/feed"), "cli", "cli");
    await store.updateFeed(feed.id, {
      etag: '"v1"',
      lastSuccessAt: "2026-03-01T10:01:00.000Z",
      itemsSeen: 12,
      baselined: true,
      nextPollAt: "2026-03-01T10:16:00.000Z",
    });
    await store.updateFeed(feed.id, { etag: null, failures: 2, lastError: "HTTP 503" });
    expect(await store.getFeed(String(feed.id))).toMatchObject({
      etag: null,
      lastSuccessAt: "2026-03-01T10:01:00.000Z",
      itemsSeen: 12,
      baselined: true,
      failures: 2,
      lastError: "HTTP 503",
      nextPollAt: "2026-03-01T10:16:00.000Z",
    });
    await store.close();
  });

  it("removes a feed and its followers; its stories stay", async () => {
    const { store } = openStore();
    const { feed } = await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C1");
    await store.saveArticles([
      {
        article: article("https://a.example/1", "One"),
        analysis: tags([]),
        file: file("https://a.example/1"),
      },
    ]);
    expect(await store.removeFeed(feed.id)).toBe(true);
    expect(await store.removeFeed(feed.id)).toBe(false);
    expect(await store.listFeeds()).toEqual([]);
    expect(store.db.prepare("SELECT count(*) FROM feed_followers").pluck().get()).toBe(0);
    expect((await store.stats()).stories).toBe(1);
    await store.close();
  });
});

describe("beside a running bot", () => {
  it("a feed change waits for another connection's write (busy timeout) instead of failing", async () => {
    const path = join(tempDir(), "cb.db");
    new SqliteStoryStore(path).close();
    // Another process's connection (here a worker thread) holds the write lock, then commits a moment later.
    const holder = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const Database = require("better-sqlite3");
       const db = new Database(workerData.path);
       db.exec("BEGIN IMMEDIATE");
       db.prepare("INSERT INTO scans (started_at, finished_at, new, updated, unchanged, duplicate, rejected) VALUES ('a', 'b', 0, 0, 0, 0, 0)").run();
       parentPort.postMessage("locked");
       setTimeout(() => { db.exec("COMMIT"); db.close(); }, 300);`,
      { eval: true, workerData: { path } },
    );
    await new Promise((resolve) => holder.once("message", resolve));
    const store = new SqliteStoryStore(path);
    const { created } = await store.addFeed(spec("https://a.example/feed"), "cli", "cli");
    expect(created).toBe(true);
    expect(store.db.prepare("SELECT count(*) FROM scans").pluck().get()).toBe(1);
    await store.close();
    await holder.terminate();
  });
});

describe("chat followers", () => {
  it("a chat add makes the channel a follower, also of a feed that already existed, once", async () => {
    const { store, clock } = openStore();
    await store.addFeed(spec("https://a.example/feed"), "cli", "cli");
    const first = await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C1");
    expect(first).toMatchObject({ created: false, feed: { origin: "cli", followers: ["slack:T1/C1"] } });
    await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C1");
    clock.advance(1_000);
    const second = await store.addFeed(spec("https://a.example/feed"), "chat", "discord:G1/22");
    // In the order they followed it.
    expect(second.feed.followers).toEqual(["slack:T1/C1", "discord:G1/22"]);
    const fresh = await store.addFeed(spec("https://b.example/feed"), "chat", "discord:G1/22");
    expect(fresh.feed).toMatchObject({
      origin: "chat",
      addedBy: "discord:G1/22",
      followers: ["discord:G1/22"],
    });
    await store.close();
  });

  it("unfollowing removes a chat feed with its last follower, and never an operator's feed", async () => {
    const { store } = openStore();
    const chat = (await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C1")).feed;
    await store.addFeed(spec("https://a.example/feed"), "chat", "slack:T1/C2");
    expect(await store.unfollowFeed(chat.id, "slack:T1/C9")).toEqual({ unfollowed: false, removed: false });
    expect(await store.unfollowFeed(chat.id, "slack:T1/C1")).toEqual({ unfollowed: true, removed: false });
    expect(await store.unfollowFeed(chat.id, "slack:T1/C2")).toEqual({ unfollowed: true, removed: true });
    expect(await store.getFeed(String(chat.id))).toBeUndefined();
    const cli = (await store.addFeed(spec("https://b.example/feed"), "cli", "cli")).feed;
    await store.addFeed(spec("https://b.example/feed"), "chat", "slack:T1/C1");
    expect(await store.unfollowFeed(cli.id, "slack:T1/C1")).toEqual({ unfollowed: true, removed: false });
    expect(await store.getFeed(String(cli.id))).toBeDefined();
    await store.close();
  });
});

describe("syncing config/feeds.yaml", () => {
  it("adds new config feeds, updates changed ones, removes unlisted ones, and leaves CLI and chat feeds alone", async () => {
    const { store } = openStore();
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
    expect(feeds[2]).toMatchObject({
      name: "One, renamed",
      everyMs: 3_600_000,
      fullText: true,
      addedBy: "config",
    });
    expect(await store.syncConfigFeeds([])).toEqual({ added: 0, updated: 0, removed: 1 });
    expect((await store.listFeeds()).map((f) => f.origin)).toEqual(["cli", "chat"]);
    await store.close();
  });
});

describe("fileRecords", () => {
  it("returns the rows asked for only, feed keys and files alike, across many chunks", async () => {
    const { store } = openStore();
    const keys = Array.from({ length: 1_203 }, (_, i) => `https://news.example/item/${i}`);
    await store.saveArticles(
      keys.map((key, i) => ({
        article: article(key, `Item ${i}`),
        analysis: tags([]),
        file: file(key),
        alert: i % 2 === 0,
      })),
    );
    await store.saveArticles([
      { article: article("/seeds/a.txt", "A file"), analysis: tags([]), file: file("/seeds/a.txt") },
    ]);
    const asked = [
      ...keys.slice(0, 1_100),
      "/seeds/a.txt",
      "https://news.example/never-seen",
      keys[0] as string,
    ];
    const records = await store.fileRecords(asked);
    expect(records.size).toBe(1_101);
    expect(records.has("https://news.example/never-seen")).toBe(false);
    expect(records.has(keys[1_150] as string)).toBe(false);
    expect(records.get(keys[0] as string)).toMatchObject({ status: "stored", quiet: false });
    expect(records.get(keys[1] as string)).toMatchObject({ status: "stored", quiet: true });
    expect(records.get("/seeds/a.txt")).toMatchObject({ status: "stored", quiet: false });
    expect(await store.fileRecords([])).toEqual(new Map());
    // The scan's index holds files only; status counts feed items apart from files.
    expect([...(await store.fileIndex()).keys()]).toEqual(["/seeds/a.txt"]);
    await store.addFeed(spec("https://news.example/feed"), "cli", "cli");
    expect(await store.stats()).toMatchObject({ files: 1, feeds: 1, feedItems: 1_203, stories: 1_204 });
    await store.close();
  });
});
