// The address policy of the fetcher: "public" (URLs typed in chat) refuses loopback, private and metadata
// addresses on every connection, by literal and through the connect-time lookup, redirects included; "any"
// (operator feeds) reaches anything, 127.0.0.1 included.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FetcherOptions, PoliteFetcher } from "../../src/feeds/fetch.js";
import { blockedAddress } from "../../src/feeds/guard.js";
import { document, FeedServer, redirect } from "../helpers/feed-server.js";

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`;
const PUBLIC_ONLY = "feeds added from chat must be on the public internet";

let server: FeedServer;
const fetchers: PoliteFetcher[] = [];

beforeEach(async () => {
  server = await FeedServer.start();
  server.route("/feed.xml", document({ body: RSS }));
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
  await server.close();
});

function fetcher(opts: Partial<FetcherOptions> = {}): PoliteFetcher {
  const f = new PoliteFetcher({ userAgent: "cyberbrief/test", hostSpacingMs: 0, ...opts });
  fetchers.push(f);
  return f;
}

/** A resolver from a table, recording the names it was asked for. */
function table(entries: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    return entries[host] ?? [];
  };
  return { resolve, asked };
}

const url = (path: string, host?: string) => server.url(path, host);

describe('policy "public"', () => {
  it("refuses the literal 127.0.0.1 before connecting", async () => {
    const result = await fetcher().fetch({ url: url("/feed.xml"), accept: "*/*", policy: "public" });
    expect(result).toEqual({
      kind: "failed",
      reason: `127.0.0.1 is a loopback address; ${PUBLIC_ONLY}`,
      status: null,
      retryAfterMs: null,
    });
    expect(server.requests).toHaveLength(0);
  });

  it("refuses localhost by name through the connect lookup of the system resolver", async () => {
    const result = await fetcher().fetch({
      url: url("/feed.xml", "localhost"),
      accept: "*/*",
      policy: "public",
    });
    expect(result).toMatchObject({
      kind: "failed",
      reason: `localhost resolves to a loopback address; ${PUBLIC_ONLY}`,
    });
    expect(server.requests).toHaveLength(0);
  });

  it("refuses at connect time a public-looking name that resolves to 127.0.0.1", async () => {
    const dns = table({ "feeds.example": ["127.0.0.1"] });
    const result = await fetcher({ resolve: dns.resolve }).fetch({
      url: url("/feed.xml", "feeds.example"),
      accept: "*/*",
      policy: "public",
    });
    expect(result).toMatchObject({ reason: `feeds.example resolves to a loopback address; ${PUBLIC_ONLY}` });
    expect(dns.asked).toEqual(["feeds.example"]);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a name with one private address among public ones", async () => {
    const dns = table({ "mixed.example": ["127.0.0.1", "10.0.0.7"] });
    const f = fetcher({
      resolve: dns.resolve,
      blocked: (a) => (a === "127.0.0.1" ? null : blockedAddress(a)),
    });
    const result = await f.fetch({ url: url("/feed.xml", "mixed.example"), accept: "*/*", policy: "public" });
    expect(result).toMatchObject({ reason: `mixed.example resolves to a private address; ${PUBLIC_ONLY}` });
    expect(server.requests).toHaveLength(0);
  });

  // To reach the fixture server at all under "public", these tests count its 127.0.0.1 as public; every other
  // address keeps the real rule. The redirect targets resolve to 127.0.0.2 (loopback, and nothing listens there).
  describe("redirects are checked hop by hop", () => {
    const dns = table({ "news.example": ["127.0.0.1"], "intranet.example": ["127.0.0.2"] });
    const asPublic = (a: string) => (a === "127.0.0.1" ? null : blockedAddress(a));

    it("refuses, at connect time, a redirect to a name that resolves to a loopback address", async () => {
      const target = url("/feed.xml", "intranet.example");
      server.route("/start", redirect(target));
      const f = fetcher({ resolve: dns.resolve, blocked: asPublic });
      const result = await f.fetch({ url: url("/start", "news.example"), accept: "*/*", policy: "public" });
      expect(result).toMatchObject({
        kind: "failed",
        reason: `intranet.example resolves to a loopback address; ${PUBLIC_ONLY} (redirected to ${target})`,
      });
      expect(server.requests.map((r) => r.path)).toEqual(["/start"]);
    });

    it("refuses a redirect to a loopback literal", async () => {
      const target = url("/feed.xml", "127.0.0.2");
      server.route("/start", redirect(target));
      const f = fetcher({ resolve: dns.resolve, blocked: asPublic });
      const result = await f.fetch({ url: url("/start", "news.example"), accept: "*/*", policy: "public" });
      expect(result).toMatchObject({
        reason: `127.0.0.2 is a loopback address; ${PUBLIC_ONLY} (redirected to ${target})`,
      });
    });

    it("follows a redirect whose target passes the rule", async () => {
      server.route("/start", redirect(url("/feed.xml", "news.example")));
      const f = fetcher({ resolve: dns.resolve, blocked: asPublic });
      const result = await f.fetch({ url: url("/start", "news.example"), accept: "*/*", policy: "public" });
      expect(result).toMatchObject({ kind: "ok", url: url("/feed.xml", "news.example") });
    });
  });

  it("never reuses a connection opened for an operator feed", async () => {
    const dns = table({ "feeds.example": ["127.0.0.1"] });
    const f = fetcher({ resolve: dns.resolve });
    const target = url("/feed.xml", "feeds.example");
    expect(await f.fetch({ url: target, accept: "*/*", policy: "any" })).toMatchObject({ kind: "ok" });
    expect(await f.fetch({ url: target, accept: "*/*", policy: "public" })).toMatchObject({
      reason: `feeds.example resolves to a loopback address; ${PUBLIC_ONLY}`,
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe('policy "any"', () => {
  it("reaches 127.0.0.1 and localhost", async () => {
    const f = fetcher();
    for (const host of ["127.0.0.1", "localhost"]) {
      const result = await f.fetch({ url: url("/feed.xml", host), accept: "*/*", policy: "any" });
      expect(result).toMatchObject({ kind: "ok", status: 200 });
    }
    expect(server.requests.map((r) => r.host)).toEqual(["127.0.0.1", "localhost"]);
  });

  it("follows a redirect to a loopback name", async () => {
    server.route("/start", redirect(url("/feed.xml", "localhost")));
    const result = await fetcher().fetch({ url: url("/start"), accept: "*/*", policy: "any" });
    expect(result).toMatchObject({ kind: "ok", url: url("/feed.xml", "localhost") });
  });
});
