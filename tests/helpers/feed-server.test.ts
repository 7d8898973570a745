// The fixture feed server does what its handlers promise, so feed tests built on it can trust it: conditional
// answers, publishing a new version, the request log, compression, and an endless body that stops on hang-up.

import { gzipSync } from "node:zlib";
import { fetch } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answer, document, endless, FeedServer } from "./feed-server.js";
import { waitFor } from "./tmp.js";

let server: FeedServer;
beforeEach(async () => {
  server = await FeedServer.start();
});
afterEach(async () => {
  await server.close();
});

describe("FeedServer", () => {
  it("answers a document with validators, 304 for a matching ETag or a recent If-Modified-Since", async () => {
    const feed = document({ body: "<rss/>" });
    server.route("/feed.xml", feed);
    const first = await fetch(server.url("/feed.xml"));
    expect(await first.text()).toBe("<rss/>");
    expect(first.headers.get("etag")).toBe(feed.etag);
    const byEtag = await fetch(server.url("/feed.xml"), { headers: { "if-none-match": feed.etag } });
    const byDate = await fetch(server.url("/feed.xml"), {
      headers: { "if-modified-since": feed.lastModified },
    });
    expect([byEtag.status, byDate.status]).toEqual([304, 304]);
    expect(feed.served).toEqual({ full: 1, notModified: 2 });
  });

  it("publishing a new version changes the ETag and Last-Modified, and old validators get a 200", async () => {
    const feed = document({ body: "<rss>1</rss>" });
    server.route("/feed.xml", feed);
    const [etag, modified] = [feed.etag, feed.lastModified];
    feed.set("<rss>2</rss>");
    expect(feed.etag).not.toBe(etag);
    expect(Date.parse(feed.lastModified) - Date.parse(modified)).toBe(60_000);
    const res = await fetch(server.url("/feed.xml"), { headers: { "if-none-match": etag } });
    expect([res.status, await res.text()]).toEqual([200, "<rss>2</rss>"]);
  });

  it("logs each request with its path, host name and headers; unknown paths get a 404", async () => {
    const res = await fetch(server.url("/nothing?x=1", "localhost"), {
      headers: { "user-agent": "probe/1" },
    });
    expect(res.status).toBe(404);
    await res.text();
    expect(server.requests).toMatchObject([
      { method: "GET", path: "/nothing?x=1", host: "localhost", headers: { "user-agent": "probe/1" } },
    ]);
    expect(server.requestsTo("/nothing")).toHaveLength(1);
    await waitFor(() => server.requests[0]?.endedAt !== null, 5000, "the answer to end");
    expect(server.inFlight()).toBe(0);
  });

  it("sends a compressed body as it says in Content-Encoding", async () => {
    server.route("/z", document({ body: "hello", encoding: "gzip" }));
    server.route("/fixed", answer(200, { "content-encoding": "gzip" }, gzipSync("fixed")));
    expect(await (await fetch(server.url("/fixed"))).text()).toBe("fixed");
    const res = await fetch(server.url("/z"));
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(await res.text()).toBe("hello");
  });

  it("stops an endless body when the client hangs up", async () => {
    server.route("/endless", endless(1024 ** 4));
    const controller = new AbortController();
    const res = await fetch(server.url("/endless"), { signal: controller.signal });
    const reader = res.body?.getReader();
    await reader?.read();
    controller.abort();
    await waitFor(() => server.requests[0]?.endedAt !== null, 5000, "the server to notice the hang-up");
    expect(server.inFlight("127.0.0.1")).toBe(0);
  });
});
