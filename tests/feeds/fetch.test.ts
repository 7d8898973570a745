// The polite fetcher against a local fixture server: conditional GET, cache and retry hints, compression,
// redirects, timeouts and the size cap. Every failure is a result with a one-line reason, never a throw.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FetcherOptions, PoliteFetcher } from "../../src/feeds/fetch.js";
import type { FetchRequest, FetchResult } from "../../src/feeds/types.js";
import { answer, document, encode, endless, FeedServer, redirect, slowDrip } from "../helpers/feed-server.js";
import { waitFor } from "../helpers/tmp.js";

const UA = "cyberbrief/0.1.0 (+https://github.com/cyberbrief/cyberbrief)";
const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`;

let server: FeedServer;
const fetchers: PoliteFetcher[] = [];

beforeEach(async () => {
  server = await FeedServer.start();
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
  await server.close();
});

/** A fetcher with no host spacing (spacing has its own tests) unless a test asks for it. */
function fetcher(opts: Partial<FetcherOptions> = {}): PoliteFetcher {
  const f = new PoliteFetcher({ userAgent: UA, hostSpacingMs: 0, ...opts });
  fetchers.push(f);
  return f;
}

const get = (f: PoliteFetcher, path: string, extra: Partial<FetchRequest> = {}): Promise<FetchResult> =>
  f.fetch({ url: server.url(path), accept: "application/rss+xml", policy: "any", ...extra });

function ok(result: FetchResult) {
  if (result.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

describe("conditional GET", () => {
  it("returns the validators of a 200, sends them back, and a 304 is not-modified", async () => {
    const feed = document({ body: RSS });
    server.route("/feed.xml", feed);
    const f = fetcher();
    const first = ok(await get(f, "/feed.xml"));
    expect(first.body.toString()).toBe(RSS);
    expect(first).toMatchObject({ status: 200, etag: feed.etag, lastModified: feed.lastModified });

    const second = await get(f, "/feed.xml", { etag: first.etag, lastModified: first.lastModified });
    expect(second).toMatchObject({ kind: "not-modified", etag: feed.etag, url: server.url("/feed.xml") });
    const sent = server.requestsTo("/feed.xml")[1]?.headers;
    expect(sent?.["if-none-match"]).toBe(feed.etag);
    expect(sent?.["if-modified-since"]).toBe(feed.lastModified);
    expect(feed.served).toEqual({ full: 1, notModified: 1 });
  });

  it("takes a 200 from a server without 304 support as the full answer again", async () => {
    const feed = document({ body: RSS, conditional: false, validators: false });
    server.route("/feed.xml", feed);
    const f = fetcher();
    const first = ok(await get(f, "/feed.xml"));
    expect(first).toMatchObject({ etag: null, lastModified: null });
    const second = ok(
      await get(f, "/feed.xml", { etag: '"old"', lastModified: "Tue, 09 Jul 2024 00:00:00 GMT" }),
    );
    expect(second.body.toString()).toBe(RSS);
    expect(feed.served).toEqual({ full: 2, notModified: 0 });
  });

  it("returns Cache-Control max-age of a 200 and of a 304 in milliseconds", async () => {
    const feed = document({ body: RSS, cacheControl: "public, max-age=600" });
    server.route("/feed.xml", feed);
    const f = fetcher();
    expect(ok(await get(f, "/feed.xml")).maxAgeMs).toBe(600_000);
    expect(await get(f, "/feed.xml", { etag: feed.etag })).toMatchObject({
      kind: "not-modified",
      maxAgeMs: 600_000,
    });
  });

  it("sends the User-Agent it was given, the Accept of the request and gzip, br", async () => {
    server.route("/feed.xml", document({ body: RSS }));
    await get(fetcher(), "/feed.xml", { accept: "application/atom+xml" });
    const headers = server.requests[0]?.headers;
    expect(headers?.["user-agent"]).toBe(UA);
    expect(headers?.accept).toBe("application/atom+xml");
    expect(headers?.["accept-encoding"]).toBe("gzip, br");
  });
});

describe("status answers", () => {
  const now = Date.parse("2024-07-09T12:00:00Z");
  const clock = { now: () => now };

  it.each([429, 503])("HTTP %i with Retry-After in seconds fails with retryAfterMs", async (status) => {
    server.route("/feed.xml", answer(status, { "retry-after": "120" }));
    expect(await get(fetcher({ clock }), "/feed.xml")).toEqual({
      kind: "failed",
      reason: `HTTP ${status}`,
      status,
      retryAfterMs: 120_000,
    });
  });

  it.each([429, 503])(
    "HTTP %i with Retry-After as an HTTP-date fails with the time until then",
    async (status) => {
      const at = new Date(now + 90_000).toUTCString();
      server.route("/feed.xml", answer(status, { "retry-after": at }));
      expect(await get(fetcher({ clock }), "/feed.xml")).toMatchObject({ status, retryAfterMs: 90_000 });
    },
  );

  it("another non-2xx answer fails as HTTP <status> without a retry hint", async () => {
    server.route("/feed.xml", answer(404, {}, "gone"));
    expect(await get(fetcher(), "/feed.xml")).toEqual({
      kind: "failed",
      reason: "HTTP 404",
      status: 404,
      retryAfterMs: null,
    });
  });
});

describe("compressed bodies", () => {
  it.each(["gzip", "br"] as const)("decodes a %s body", async (encoding) => {
    server.route("/feed.xml", document({ body: RSS, encoding }));
    expect(ok(await get(fetcher(), "/feed.xml")).body.toString()).toBe(RSS);
  });

  it("a corrupt gzip body fails with a reason", async () => {
    server.route("/feed.xml", answer(200, { "content-encoding": "gzip" }, Buffer.from("not gzip at all")));
    expect(await get(fetcher(), "/feed.xml")).toMatchObject({
      kind: "failed",
      reason: /does not decompress/,
    });
  });
});

describe("redirects", () => {
  it("follows 3 redirects (a relative Location among them) and returns the final URL", async () => {
    server.route("/a", redirect(server.url("/b"), 301));
    server.route("/b", redirect("/c", 307));
    server.route("/c", redirect("d?x=1", 308));
    server.route("/d", document({ body: RSS }));
    const result = ok(await get(fetcher(), "/a"));
    expect(result.url).toBe(server.url("/d?x=1"));
    expect(result.body.toString()).toBe(RSS);
    expect(server.requests.map((r) => r.path)).toEqual(["/a", "/b", "/c", "/d?x=1"]);
  });

  it("refuses a 6th redirect", async () => {
    for (let i = 0; i < 6; i++) server.route(`/r${i}`, redirect(`/r${i + 1}`));
    server.route("/r6", document({ body: RSS }));
    expect(await get(fetcher(), "/r0")).toMatchObject({ kind: "failed", reason: "more than 5 redirects" });
    expect(server.requestsTo("/r6")).toHaveLength(0);
  });

  it("names a redirect loop as such", async () => {
    server.route("/x", redirect("/y"));
    server.route("/y", redirect("/x#top"));
    expect(await get(fetcher(), "/x")).toMatchObject({
      kind: "failed",
      reason: `redirect loop: ${server.url("/x")} was already visited`,
    });
  });

  it("refuses a redirect to a scheme other than http and https", async () => {
    server.route("/x", redirect("file:///etc/passwd"));
    expect(await get(fetcher(), "/x")).toMatchObject({
      kind: "failed",
      reason: "only http and https can be fetched, not file (redirected to file:///etc/passwd)",
    });
  });

  it("a redirect without a Location fails", async () => {
    server.route("/x", answer(302));
    expect(await get(fetcher(), "/x")).toMatchObject({ reason: "HTTP 302 redirect without a Location" });
  });
});

describe("limits", () => {
  it("a body dripped one byte at a time fails by the total timeout, named as such", async () => {
    server.route("/slow.xml", slowDrip(RSS, 50));
    expect(await get(fetcher({ totalTimeoutMs: 300 }), "/slow.xml")).toMatchObject({
      kind: "failed",
      reason: "timed out: no complete answer within 300 ms",
    });
  });

  it("a server that never answers fails by the total timeout", async () => {
    server.route("/silent.xml", () => new Promise(() => undefined));
    expect(await get(fetcher({ totalTimeoutMs: 200 }), "/silent.xml")).toMatchObject({
      kind: "failed",
      reason: "timed out: no complete answer within 200 ms",
    });
  });

  it("the time limit spans all hops: a slow redirect leaves less time for the next hop", async () => {
    server.route("/slow-redirect", async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      res.writeHead(302, { location: "/feed.xml" });
      res.end();
    });
    // 250 ms + 150 ms: each hop alone is within 300 ms, the two together are not.
    server.route("/feed.xml", async (req, res, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await document({ body: RSS })(req, res, ctx);
    });
    const result = await get(fetcher({ totalTimeoutMs: 300 }), "/slow-redirect");
    expect(result).toMatchObject({ reason: /^timed out: no complete answer within 300 ms/ });
  });

  it("a Content-Length over the cap fails before the body is read", async () => {
    server.route("/big.xml", document({ body: Buffer.alloc(2000, "x") }));
    expect(await get(fetcher({ maxBytes: 1024 }), "/big.xml")).toMatchObject({
      kind: "failed",
      reason: "body over the 1 KB limit (Content-Length 2000)",
    });
  });

  it("a chunked body without Content-Length stops at the cap (a 2 GB body costs no more than the cap)", async () => {
    const huge = endless(2 * 1024 ** 3);
    server.route("/huge.xml", huge);
    expect(await get(fetcher({ maxBytes: 1024 * 1024 }), "/huge.xml")).toMatchObject({
      kind: "failed",
      reason: "body over the 1 MB limit",
      status: 200,
    });
    // The fetcher hung up at the cap: the server got no further than the cap plus what socket buffers hold.
    await waitFor(() => server.requests[0]?.endedAt !== null, 5000, "the server to see the hang-up");
    expect(huge.sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("the cap counts decoded bytes: a small gzip body that inflates past it fails", async () => {
    const bomb = encode(Buffer.alloc(16 * 1024 * 1024), "gzip");
    expect(bomb.length).toBeLessThan(1024 * 1024);
    server.route("/bomb.xml", answer(200, { "content-encoding": "gzip" }, bomb));
    expect(await get(fetcher({ maxBytes: 1024 * 1024 }), "/bomb.xml")).toMatchObject({
      kind: "failed",
      reason: "body over the 1 MB limit",
    });
  });

  it("a body exactly at the cap is accepted", async () => {
    server.route("/edge.xml", document({ body: Buffer.alloc(1024, "x") }));
    expect(ok(await get(fetcher({ maxBytes: 1024 }), "/edge.xml")).body).toHaveLength(1024);
  });
});

describe("failures are results", () => {
  it("a refused connection", async () => {
    const closed = await FeedServer.start();
    const url = closed.url("/feed.xml");
    await closed.close();
    const result = await fetcher().fetch({ url, accept: "*/*", policy: "any" });
    expect(result).toMatchObject({ kind: "failed", reason: `connection refused by ${new URL(url).host}` });
  });

  it("a name that does not resolve", async () => {
    const f = fetcher({ resolve: async () => [] });
    expect(await f.fetch({ url: "http://nowhere.example/feed", accept: "*/*", policy: "any" })).toMatchObject(
      {
        reason: "nowhere.example does not resolve (ENOTFOUND)",
      },
    );
  });

  it("not a URL, and a scheme other than http(s)", async () => {
    const f = fetcher();
    expect(await f.fetch({ url: "feed.xml", accept: "*/*", policy: "any" })).toMatchObject({
      reason: "not a URL: feed.xml",
    });
    expect(await f.fetch({ url: "ftp://example.com/feed", accept: "*/*", policy: "any" })).toMatchObject({
      reason: "only http and https can be fetched, not ftp",
    });
  });

  it("an abort by the caller while the answer is held", async () => {
    server.route("/held", () => new Promise(() => undefined));
    const controller = new AbortController();
    const pending = get(fetcher(), "/held", { signal: controller.signal });
    await waitFor(() => server.requests.length === 1, 5000, "the held request");
    controller.abort();
    expect(await pending).toMatchObject({ kind: "failed", reason: "aborted" });
  });

  it("a fetch after close", async () => {
    server.route("/feed.xml", document({ body: RSS }));
    const f = fetcher();
    await f.close();
    expect(await get(f, "/feed.xml")).toMatchObject({ kind: "failed", reason: "the fetcher is closed" });
    expect(server.requests).toHaveLength(0);
  });
});
