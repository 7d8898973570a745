// Polling one feed end to end (fixture server, the real fetcher, parser, analyser and SQLite store with routing):
// what a channel subscribed to everything sees. Zero repeats, zero old items on the first poll, each new item once.

import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { routeStory } from "../../src/alerts/routing.js";
import { createAnalyser, loadGazetteer } from "../../src/analysis/index.js";
import type { Analyse } from "../../src/core/article.js";
import type { Reply } from "../../src/core/cards.js";
import type { Feed, FeedSpec } from "../../src/core/feeds.js";
import { PoliteFetcher } from "../../src/feeds/fetch.js";
import { MAX_ITEMS_PER_POLL } from "../../src/feeds/poll-types.js";
import { FeedPoller } from "../../src/feeds/poller.js";
import { NOTICE_AFTER_MS } from "../../src/feeds/schedule.js";
import { silentLogger } from "../../src/log/logger.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { deliveries, ManualClock } from "../alerts/fixtures.js";
import { answer, document, FeedServer } from "../helpers/feed-server.js";
import { newsItem, rss } from "../helpers/rss.js";
import { tempDir } from "../helpers/tmp.js";

const CHANNEL = "slack:T1/C1";
const ADDED = Date.parse("2024-07-09T12:00:00Z");
const HOUR = 3600_000;
const ago = (h: number) => new Date(ADDED - h * HOUR);
const later = (h: number) => new Date(ADDED + h * HOUR);

let analyse: Analyse;
beforeAll(() => {
  analyse = createAnalyser(loadGazetteer());
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bed(spec: Partial<FeedSpec> = {}, origin: "cli" | "chat" = "cli") {
  const clock = new ManualClock(ADDED);
  const store = new SqliteStoryStore(join(tempDir(), "cb.db"), { clock });
  const server = await FeedServer.start();
  const fetcher = new PoliteFetcher({ userAgent: "cyberbrief-test", hostSpacingMs: 0, totalTimeoutMs: 5000 });
  cleanups.push(async () => {
    await fetcher.close();
    await server.close();
    await store.close();
  });
  await store.subscribe(CHANNEL, "all", "U1");
  const notices: Array<{ channels: readonly string[]; reply: Reply }> = [];
  const poller = new FeedPoller({
    feeds: store,
    store: {
      fileRecords: (paths) => store.fileRecords(paths),
      saveArticles: (items) => store.saveArticles(items, { onSaved: routeStory }),
    },
    fetcher,
    analyse: async (a) => analyse(a),
    log: silentLogger(),
    clock,
    random: () => 0.5,
    notify: async (channels, reply) => {
      notices.push({ channels, reply });
    },
  });
  const url = server.url("/feed.xml");
  const { feed } = await store.addFeed(
    { url, name: "Example News", everyMs: 15 * 60_000, fullText: false, ...spec },
    origin,
    origin === "chat" ? "slack:T1/C9" : "cli",
  );
  const current = async (): Promise<Feed> => (await store.getFeed(String(feed.id))) as Feed;
  const poll = async () => poller.poll(await current());
  /**
   * Titles of the stories that reached the channel, in order: as an alert, or as a reply in the thread of their
   * event's alert (items 1 and 2 differ only by their number: the store merges them into one event).
   */
  const alerted = () =>
    deliveries(store, CHANNEL)
      .filter((d) => d.kind === "alert" || d.kind === "source")
      .map((d) => store.db.prepare("SELECT title FROM stories WHERE rowid = ?").pluck().get(d.story_rowid));
  return { clock, store, server, poll, current, alerted, notices, url };
}

describe("the first poll (baseline)", () => {
  it("stores everything but alerts only items published after the feed was added", async () => {
    const b = await bed();
    b.server.route(
      "/feed.xml",
      document({
        body: rss([newsItem(1, ago(48)), newsItem(2, ago(1)), newsItem(3, later(0.5)), newsItem(4)]),
      }),
    );
    b.clock.advance(HOUR);
    const report = await b.poll();
    expect(report).toMatchObject({ result: "ok", items: 4, new: 4, quiet: 3 });
    expect(b.alerted()).toEqual([expect.stringMatching(/^Report 3:/)]);
    expect((await b.store.stats()).stories).toBe(4);
    expect(await b.current()).toMatchObject({
      baselined: true,
      failures: 0,
      itemsSeen: 4,
      title: "Example Security News",
    });
  });
});

describe("later polls", () => {
  it("alert each new item once; an unchanged feed answers 304 and nothing repeats", async () => {
    const b = await bed();
    const doc = document({ body: rss([newsItem(1, ago(2))]) });
    b.server.route("/feed.xml", doc);
    await b.poll();
    b.clock.advance(HOUR);
    expect(await b.poll()).toMatchObject({ result: "not-modified" });
    doc.set(rss([newsItem(2, later(1)), newsItem(1, ago(2))]));
    b.clock.advance(HOUR);
    expect(await b.poll()).toMatchObject({ result: "ok", new: 1, unchanged: 1 });
    b.clock.advance(HOUR);
    await b.poll();
    expect(b.alerted()).toEqual([expect.stringMatching(/^Report 2:/)]);
    expect(b.server.requestsTo("/feed.xml").at(-1)?.headers["if-none-match"]).toBe(doc.etag);
  });

  it("rewritten GUIDs and dates, reordered items and tracking parameters repeat nothing, even without 304", async () => {
    const b = await bed();
    const doc = document({ body: rss([newsItem(1, later(1)), newsItem(2, later(2))]), conditional: false });
    b.server.route("/feed.xml", doc);
    await b.poll();
    expect(b.alerted()).toHaveLength(2);
    doc.set(
      rss([
        newsItem(2, later(30), {
          guid: "fresh-guid-2",
          link: "https://NEWS.example/reports/2?utm_source=rss#top",
        }),
        newsItem(1, later(31), { guid: "fresh-guid-1" }),
        newsItem(1, later(31), { guid: "fresh-guid-1b" }),
      ]),
    );
    b.clock.advance(HOUR);
    expect(await b.poll()).toMatchObject({ result: "ok", items: 2, new: 0, unchanged: 2 });
    expect(b.alerted()).toHaveLength(2);
  });

  it("a server without 304 that sends the same bytes again costs no parsing and repeats nothing", async () => {
    const b = await bed();
    const doc = document({ body: rss([newsItem(1, later(1))]), conditional: false, validators: false });
    b.server.route("/feed.xml", doc);
    expect(await b.poll()).toMatchObject({ result: "ok", new: 1 });
    b.clock.advance(HOUR);
    expect(await b.poll()).toMatchObject({ result: "not-modified", items: 0 });
    expect(doc.served).toEqual({ full: 2, notModified: 0 });
    doc.set(rss([newsItem(2, later(2)), newsItem(1, later(1))]));
    b.clock.advance(HOUR);
    expect(await b.poll()).toMatchObject({ result: "ok", new: 1, unchanged: 1 });
    expect(b.alerted()).toHaveLength(2);
  });

  it("changed text under the same link is a revision of the story, not a new alert", async () => {
    const b = await bed();
    const doc = document({ body: rss([newsItem(1, later(1))]) });
    b.server.route("/feed.xml", doc);
    await b.poll();
    doc.set(
      rss([
        newsItem(1, later(1), {
          description: "Corrected: the group APT40 also went after Australian networks.",
        }),
      ]),
    );
    b.clock.advance(HOUR);
    expect(await b.poll()).toMatchObject({ revised: 1, new: 0 });
    expect(b.alerted()).toHaveLength(1);
    expect((await b.store.stats()).revisions).toBeGreaterThanOrEqual(1);
  });

  it("an edit of an item from the baseline stays quiet", async () => {
    const b = await bed();
    const doc = document({ body: rss([newsItem(1, ago(5))]) });
    b.server.route("/feed.xml", doc);
    await b.poll();
    doc.set(rss([newsItem(1, ago(5), { description: "Edited long after: APT40 and New Zealand again." })]));
    b.clock.advance(HOUR);
    expect(await b.poll()).toMatchObject({ revised: 1 });
    expect(deliveries(b.store)).toHaveLength(0);
  });

  it("items without GUID or date: old on the first poll, new ones alerted later, none repeated", async () => {
    const b = await bed();
    const bare = (n: number) => newsItem(n, undefined, { guid: undefined, link: undefined });
    const doc = document({ body: rss([bare(1), bare(2)]) });
    b.server.route("/feed.xml", doc);
    expect(await b.poll()).toMatchObject({ new: 2, quiet: 2 });
    doc.set(rss([bare(3), bare(2), bare(1)]));
    b.clock.advance(HOUR);
    await b.poll();
    b.clock.advance(HOUR);
    doc.set(rss([bare(1), bare(3), bare(2)]));
    await b.poll();
    expect(b.alerted()).toEqual([expect.stringMatching(/^Report 3:/)]);
  });

  it("the same item from a second feed is a duplicate, not a second alert", async () => {
    const b = await bed();
    b.server.route("/feed.xml", document({ body: rss([newsItem(1, later(1))]) }));
    b.server.route("/mirror.xml", document({ body: rss([newsItem(1, later(1), { guid: "other" })]) }));
    await b.poll();
    const { feed } = await b.store.addFeed(
      { url: b.server.url("/mirror.xml"), name: "Mirror", everyMs: 60_000, fullText: false },
      "cli",
      "cli",
    );
    await b.store.updateFeed(feed.id, { baselined: true });
    const mirror = (await b.store.getFeed(String(feed.id))) as Feed;
    const poller = new FeedPoller({
      feeds: b.store,
      store: {
        fileRecords: (p) => b.store.fileRecords(p),
        saveArticles: (i) => b.store.saveArticles(i, { onSaved: routeStory }),
      },
      fetcher: new PoliteFetcher({ userAgent: "t", hostSpacingMs: 0 }),
      analyse: async (a) => analyse(a),
      log: silentLogger(),
      clock: b.clock,
    });
    expect(await poller.poll(mirror)).toMatchObject({ unchanged: 1 });
    expect(b.alerted()).toHaveLength(1);
  });
});

describe("what an item becomes", () => {
  it("a feed story names the feed as its source and the item's link as its URL, in plain text", async () => {
    const b = await bed();
    b.server.route(
      "/feed.xml",
      document({
        body: rss([
          newsItem(1, later(1), {
            title: "APT40 &amp; <b>friends</b> hit NZ",
            description:
              "<p>The group <a href='/x'>APT40</a> breached &ldquo;networks&rdquo; in New Zealand.</p>",
          }),
        ]),
      }),
    );
    await b.poll();
    const row = b.store.db.prepare("SELECT title, body, url, source, path FROM stories").get() as Record<
      string,
      string
    >;
    expect(row).toMatchObject({ url: "https://news.example/reports/1", source: "Example News" });
    expect(row.title).toBe("APT40 & friends hit NZ");
    expect(row.body).not.toMatch(/[<>]/);
    expect(row.body).toContain("“networks”");
  });

  it("decodes an ISO-8859-1 feed", async () => {
    const b = await bed();
    const xml = rss([newsItem(1, later(1), { title: "Cyberattaque signalée à Nouméa" })], {
      encoding: "ISO-8859-1",
    });
    b.server.route(
      "/feed.xml",
      document({ body: Buffer.from(xml, "latin1"), contentType: "application/rss+xml" }),
    );
    await b.poll();
    expect(b.alerted()).toEqual(["Cyberattaque signalée à Nouméa"]);
  });

  it("a full-text feed fetches a teaser's page and keeps only the article's text", async () => {
    const b = await bed({ fullText: true });
    const page = `<html><head><title>Page</title></head><body><nav>Home | Login | Subscribe</nav>
      <article><h1>Full story</h1>${Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i} of the full report: investigators found that APT40 used stolen credentials against New Zealand agencies over several months.</p>`).join("")}</article>
      <footer>Copyright footer text</footer></body></html>`;
    b.server.route("/articles/1", answer(200, { "content-type": "text/html; charset=utf-8" }, page));
    const link = b.server.url("/articles/1");
    b.server.route(
      "/feed.xml",
      document({ body: rss([newsItem(1, later(1), { link, description: "A short teaser…" })]) }),
    );
    await b.poll();
    const body = b.store.db.prepare("SELECT body FROM stories").pluck().get() as string;
    expect(body).toContain("Paragraph 7 of the full report");
    expect(body).not.toContain("Login");
    expect(body).not.toMatch(/<[a-z]/i);
  });
});

describe("failures", () => {
  it("a 503 with Retry-After is one recorded error and the next poll waits at least that long", async () => {
    const b = await bed();
    b.server.route("/feed.xml", answer(503, { "retry-after": "7200" }));
    expect(await b.poll()).toMatchObject({ result: "failed", error: "HTTP 503" });
    const feed = await b.current();
    expect(feed).toMatchObject({
      failures: 1,
      lastError: "HTTP 503",
      failingSince: new Date(ADDED).toISOString(),
    });
    expect(Date.parse(feed.nextPollAt) - ADDED).toBeGreaterThanOrEqual(7200_000);
  });

  it.each([
    ["an HTML page", "<!doctype html><html><body><p>Not a feed</p></body></html>", "text/html", /HTML page/],
    [
      "an entity bomb",
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title></channel></rss>`,
      "application/rss+xml",
      /entit/i,
    ],
    ["invalid XML", "<rss><channel><item><title>x</title></channel>", "application/rss+xml", /.+/],
  ])("%s costs one recorded error, nothing stored", async (_what, body, contentType, reason) => {
    const b = await bed();
    b.server.route("/feed.xml", answer(200, { "content-type": contentType }, body));
    const report = await b.poll();
    expect(report.result).toBe("failed");
    expect(report.error).toMatch(reason);
    expect((await b.current()).lastError).toMatch(reason);
    expect((await b.store.stats()).stories).toBe(0);
  });

  it("backs off exponentially and tells followers once after a day of failures, and once on recovery", async () => {
    const b = await bed({ everyMs: 15 * 60_000 });
    b.server.route("/feed.xml", answer(500, {}));
    // A channel manager adds the same feed in chat: the channel follows it (the feed stays the operator's).
    await b.store.addFeed(
      { url: b.url, name: null, everyMs: 60_000, fullText: false },
      "chat",
      "slack:T1/C9",
    );
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      expect(await b.poll()).toMatchObject({ result: "failed", error: "HTTP 500" });
      const feed = await b.current();
      delays.push(Date.parse(feed.nextPollAt) - b.clock.now());
      b.clock.t = Date.parse(feed.nextPollAt);
    }
    expect(delays.slice(0, 4)).toEqual([11.25, 22.5, 45, 90].map((m) => m * 60_000));
    expect(Math.max(...delays)).toBeLessThanOrEqual(6 * HOUR);
    expect(b.clock.now() - ADDED).toBeGreaterThan(NOTICE_AFTER_MS);
    expect(b.notices.map((n) => n.reply.headline)).toEqual(["A feed is failing"]);
    expect(b.notices[0]?.channels).toEqual(["slack:T1/C9"]);
    expect(b.notices[0]?.reply.text.join(" ")).toMatch(
      /has failed for \d+h \d+m: HTTP 500\. .*operator added it/,
    );
    b.server.route("/feed.xml", document({ body: rss([newsItem(1)]) }));
    expect(await b.poll()).toMatchObject({ result: "ok" });
    await b.poll();
    expect(b.notices.map((n) => n.reply.headline)).toEqual(["A feed is failing", "A feed has recovered"]);
    expect(await b.current()).toMatchObject({ failures: 0, failingSince: null, lastError: "HTTP 500" });
  });

  it("a feed added in chat may not reach a loopback address, even one the operator could", async () => {
    const b = await bed({}, "chat");
    b.server.route("/feed.xml", document({ body: rss([newsItem(1)]) }));
    expect(await b.poll()).toMatchObject({ result: "failed", error: expect.stringMatching(/loopback/) });
    expect(b.server.requestsTo("/feed.xml")).toHaveLength(0);
  });
});

describe("politeness", () => {
  it("honours Cache-Control max-age for the next poll", async () => {
    const b = await bed({ everyMs: 60_000 });
    b.server.route("/feed.xml", document({ body: rss([newsItem(1)]), cacheControl: "max-age=1800" }));
    await b.poll();
    expect(Date.parse((await b.current()).nextPollAt) - ADDED).toBe(1800_000);
  });

  it("names cyberbrief in the User-Agent and accepts compressed answers", async () => {
    const b = await bed();
    b.server.route("/feed.xml", document({ body: rss([newsItem(1)]), encoding: "gzip" }));
    expect(await b.poll()).toMatchObject({ result: "ok", items: 1 });
    const req = b.server.requestsTo("/feed.xml")[0];
    expect(req?.headers["user-agent"]).toBe("cyberbrief-test");
    expect(req?.headers["accept-encoding"]).toMatch(/gzip/);
  });
});

describe("a hostile feed", () => {
  it("listing thousands of items is read only up to the per-poll cap", async () => {
    const b = await bed();
    const items = Array.from({ length: MAX_ITEMS_PER_POLL + 300 }, (_, i) => ({
      title: `Item ${i}`,
      link: `https://news.example/i/${i}`,
      description: `Short item ${i}.`,
    }));
    b.server.route("/feed.xml", document({ body: rss(items) }));
    expect(await b.poll()).toMatchObject({
      result: "ok",
      items: MAX_ITEMS_PER_POLL,
      new: MAX_ITEMS_PER_POLL,
    });
    expect((await b.store.stats()).stories).toBe(MAX_ITEMS_PER_POLL);
  });
});
