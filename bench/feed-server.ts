// bench:feeds' fixture server, run as a child process so its CPU is not counted as the bot's: N synthetic feeds on
// 127.0.0.1 (port 0) with ETag, Last-Modified and 304 answers (but for the first `plain` feeds), gzip when asked. The parent drives it over IPC:
//   → { type: "publish", feeds: [3, 17], at: epochMs }   ← { type: "published", items: [...] }
//   → { type: "stats" }                                  ← { type: "stats", requests, ok, notModified, bytesSent }
// It announces itself with { type: "ready", port, bytes } and exits when the parent disconnects.

import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { type FixtureItem, feedPath, fixtureItem, isAtom, renderFeed } from "./feed-docs.js";

export interface ServerOptions {
  feeds: number;
  items: number;
  /** Epoch ms: the initial items are older than this (the feeds were added at this time). */
  t0: number;
  gzip: boolean;
  /** Feeds 0..plain-1 are served like a server without conditional GET: no validators, always 200. */
  plain: number;
}

export type ToServer = { type: "publish"; feeds: number[]; at: number } | { type: "stats" };
export type FromServer =
  | { type: "ready"; port: number; bytes: number }
  | { type: "published"; items: Array<Pick<FixtureItem, "feed" | "title" | "canonical">> }
  | { type: "stats"; requests: number; ok: number; notModified: number; bytesSent: number };

interface Doc {
  items: FixtureItem[];
  next: number;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  lastModified: Date;
}

const opts = JSON.parse(process.argv[2] ?? "{}") as ServerOptions;
const HOUR = 3600_000;
const docs: Doc[] = [];
const byPath = new Map<string, Doc>();
const stats = { requests: 0, ok: 0, notModified: 0, bytesSent: 0 };

/** Re-render a feed's document and its validators (Last-Modified on whole seconds, as HTTP dates are). */
function render(feed: number, doc: Omit<Doc, "body" | "gzipped" | "etag">): Doc {
  const body = Buffer.from(renderFeed(feed, doc.items, doc.lastModified));
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  return { ...doc, body, gzipped: gzipSync(body), etag };
}

for (let f = 0; f < opts.feeds; f++) {
  // Item k of the initial set is k hours (plus a few minutes, per feed) older than t0; the newest comes first.
  const items = Array.from({ length: opts.items }, (_, k) =>
    fixtureItem(f, opts.items - 1 - k, new Date(opts.t0 - (k + 1) * HOUR - (f % 60) * 60_000)),
  );
  const lastModified = new Date(Math.floor((opts.t0 - HOUR) / 1000) * 1000);
  const doc = render(f, { items, next: opts.items, lastModified });
  docs.push(doc);
  byPath.set(feedPath(f), doc);
}

function publish(feed: number, at: number): FixtureItem {
  const old = docs[feed] as Doc;
  const item = fixtureItem(feed, old.next, new Date(at));
  const lastModified = new Date(Math.floor(at / 1000) * 1000);
  const doc = render(feed, {
    items: [item, ...old.items].slice(0, opts.items),
    next: old.next + 1,
    lastModified,
  });
  docs[feed] = doc;
  byPath.set(feedPath(feed), doc);
  return item;
}

/** 304 when If-None-Match names the current ETag, or (without it) If-Modified-Since is not older. */
function notModified(req: IncomingMessage, doc: Doc): boolean {
  const inm = req.headers["if-none-match"];
  if (inm !== undefined) return inm.split(",").some((t) => t.trim() === doc.etag);
  const ims = req.headers["if-modified-since"];
  return ims !== undefined && Date.parse(ims) >= doc.lastModified.getTime();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  stats.requests++;
  const doc = byPath.get((req.url ?? "").split("?")[0] ?? "");
  if (!doc) {
    res.writeHead(404, { "content-type": "text/plain" }).end("no such feed\n");
    return;
  }
  const feed = Number(/\/feeds\/(\d+)\./.exec(req.url ?? "")?.[1]);
  const conditional = feed >= opts.plain;
  const validators = conditional ? { etag: doc.etag, "last-modified": doc.lastModified.toUTCString() } : {};
  if (conditional && notModified(req, doc)) {
    stats.notModified++;
    res.writeHead(304, validators).end();
    return;
  }
  const gzip = opts.gzip && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  const body = gzip ? doc.gzipped : doc.body;
  stats.ok++;
  stats.bytesSent += body.length;
  res
    .writeHead(200, {
      ...validators,
      "content-type": isAtom(feed)
        ? "application/atom+xml; charset=utf-8"
        : "application/rss+xml; charset=utf-8",
      "content-length": String(body.length),
      vary: "Accept-Encoding",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
    })
    .end(body);
}

const send = (msg: FromServer): void => {
  process.send?.(msg);
};

const server = createServer(handle);
server.keepAliveTimeout = 120_000;
server.listen(0, "127.0.0.1", () => {
  const bytes = docs.reduce((n, d) => n + d.body.length, 0);
  send({ type: "ready", port: (server.address() as AddressInfo).port, bytes });
});
process.on("message", (msg: ToServer) => {
  if (msg.type === "publish") {
    const items = msg.feeds.map((f) => publish(f, msg.at));
    send({
      type: "published",
      items: items.map((i) => ({ feed: i.feed, title: i.title, canonical: i.canonical })),
    });
  } else if (msg.type === "stats") send({ type: "stats", ...stats });
});
process.on("disconnect", () => {
  server.close();
  server.closeAllConnections();
});
