// A local HTTP server for feed tests: routes are handler functions, every request is logged with its headers,
// and the handlers below make the answers feed tests need (conditional GET, gzip/brotli, redirects, slow drip,
// endless bodies). Listens on 127.0.0.1, port 0; reach it as 127.0.0.1 or localhost (two hosts to the fetcher).
//
//   const server = await FeedServer.start();          // afterEach: await server.close()
//   const feed = document({ body: rss, contentType: "application/rss+xml" });
//   server.route("/feed.xml", feed);
//   fetch(server.url("/feed.xml"));                   // http://127.0.0.1:PORT/feed.xml
//   feed.set(rss2);                                   // publish: new ETag, Last-Modified a minute later
//   server.requestsTo("/feed.xml")[1]?.headers["if-none-match"];

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { Clock } from "../../src/core/clock.js";

/** One request as the server saw it. */
export interface LoggedRequest {
  method: string;
  /** The path with its query, as sent. */
  path: string;
  /** The Host header's name, without the port: "127.0.0.1" or "localhost". */
  host: string;
  /** Lower-cased names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** Times from the server's clock: when the request arrived and when its answer finished or was cut off. */
  startedAt: number;
  endedAt: number | null;
}

/** Answers one request; may be async (hold an answer until a test says so). Unknown paths get a 404. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HandlerContext,
) => void | Promise<void>;

export interface HandlerContext {
  server: FeedServer;
  /** This request's log entry. */
  request: LoggedRequest;
}

export class FeedServer {
  /** Every request in arrival order. */
  readonly requests: LoggedRequest[] = [];
  private readonly routes = new Map<string, Handler>();
  private readonly open = new Map<string, number>();
  private readonly peak = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly clock: Clock,
  ) {}

  /** Starts a server on 127.0.0.1, port 0. `clock` stamps the log (default the wall clock). */
  static async start(opts: { clock?: Clock } = {}): Promise<FeedServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const feedServer = new FeedServer(server, (server.address() as AddressInfo).port, opts.clock ?? Date);
    server.on("request", (req, res) => feedServer.handle(req, res));
    return feedServer;
  }

  /** Serve `path` (without query; the query is ignored for routing) with `handler`; replaces an earlier route. */
  route(path: string, handler: Handler): this {
    this.routes.set(path, handler);
    return this;
  }

  /** The absolute URL of `path` through `host` (127.0.0.1 or localhost). */
  url(path: string, host = "127.0.0.1"): string {
    return `http://${host}:${this.port}${path}`;
  }

  /** Requests whose path (without query) is `path`. */
  requestsTo(path: string): LoggedRequest[] {
    return this.requests.filter((r) => r.path.split("?")[0] === path);
  }

  /** Requests being answered now, to one host name or to all. */
  inFlight(host?: string): number {
    return host === undefined ? sum(this.open) : (this.open.get(host) ?? 0);
  }

  /** The most requests ever in flight at once to one host name. */
  maxInFlight(host: string): number {
    return this.peak.get(host) ?? 0;
  }

  /** Stops listening and cuts every open connection (a slow drip included). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
    const request: LoggedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      host,
      headers: req.headers,
      startedAt: this.clock.now(),
      endedAt: null,
    };
    this.requests.push(request);
    const now = (this.open.get(host) ?? 0) + 1;
    this.open.set(host, now);
    this.peak.set(host, Math.max(now, this.peak.get(host) ?? 0));
    // Ended when the whole answer is handed to the socket ("finish"), or when it is cut off ("close").
    const ended = () => {
      if (request.endedAt !== null) return;
      request.endedAt = this.clock.now();
      this.open.set(host, (this.open.get(host) ?? 1) - 1);
    };
    res.once("finish", ended);
    res.once("close", ended);
    const handler = this.routes.get(request.path.split("?")[0] ?? "") ?? notFound;
    Promise.resolve()
      .then(() => handler(req, res, { server: this, request }))
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
  }
}

const sum = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

const notFound: Handler = (_req, res) => {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("no such route");
};

export type Encoding = "gzip" | "br";

/** The body compressed as `encoding` (for a Content-Encoding header saying so). */
export function encode(body: string | Buffer, encoding: Encoding): Buffer {
  return encoding === "gzip" ? gzipSync(body) : brotliCompressSync(body);
}

/** Always the same answer: `answer(503, { "retry-after": "120" })`, `answer(200, {...}, body)`. */
export function answer(
  status: number,
  headers: Record<string, string> = {},
  body: string | Buffer = "",
): Handler {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

/** A redirect to `location` (absolute or relative, written as given). */
export function redirect(location: string, status = 302): Handler {
  return answer(status, { location });
}

export interface DocumentOptions {
  body: string | Buffer;
  /** Default "application/rss+xml". */
  contentType?: string;
  /** Send ETag and Last-Modified (default true). */
  validators?: boolean;
  /** Answer 304 to matching If-None-Match / If-Modified-Since (default true); false: always 200. */
  conditional?: boolean;
  /** Compress the body and say so in Content-Encoding. */
  encoding?: Encoding;
  /** A Cache-Control header to send, e.g. "max-age=600". */
  cacheControl?: string;
  /** The first Last-Modified (default 2024-07-09T00:00:00Z). */
  lastModified?: Date;
}

/** A served document that a test can change, and the count of 200 and 304 answers it gave. */
export interface DocumentHandler extends Handler {
  /** Replace the body: a new ETag, and Last-Modified `lastModified` or one minute after the previous one. */
  set(body: string | Buffer, lastModified?: Date): void;
  readonly etag: string;
  readonly lastModified: string;
  readonly served: { full: number; notModified: number };
}

/**
 * A document with conditional GET: ETag (a version counter) and Last-Modified on 200 answers, and 304 when the
 * request's If-None-Match names the current ETag (or, without If-None-Match, If-Modified-Since is not older).
 */
export function document(opts: DocumentOptions): DocumentHandler {
  let body = opts.body;
  let version = 1;
  let modified = opts.lastModified ?? new Date("2024-07-09T00:00:00Z");
  const served = { full: 0, notModified: 0 };
  const etag = () => `"v${version}"`;
  const handler: Handler = (req, res) => {
    const validators: Record<string, string> =
      opts.validators === false ? {} : { etag: etag(), "last-modified": modified.toUTCString() };
    const cache: Record<string, string> = opts.cacheControl ? { "cache-control": opts.cacheControl } : {};
    if (opts.conditional !== false && isFresh(req.headers, etag(), modified)) {
      served.notModified++;
      res.writeHead(304, { ...validators, ...cache });
      res.end();
      return;
    }
    served.full++;
    const bytes = opts.encoding ? encode(body, opts.encoding) : Buffer.from(body);
    res.writeHead(200, {
      "content-type": opts.contentType ?? "application/rss+xml",
      "content-length": String(bytes.length),
      ...(opts.encoding ? { "content-encoding": opts.encoding } : {}),
      ...validators,
      ...cache,
    });
    res.end(bytes);
  };
  // defineProperties, not Object.assign: assign would copy the getters' values once instead of the getters.
  return Object.defineProperties(handler, {
    set: {
      value: (next: string | Buffer, lastModified?: Date) => {
        body = next;
        version++;
        modified = lastModified ?? new Date(modified.getTime() + 60_000);
      },
    },
    etag: { get: etag },
    lastModified: { get: () => modified.toUTCString() },
    served: { value: served },
  }) as DocumentHandler;
}

function isFresh(headers: IncomingHttpHeaders, etag: string, modified: Date): boolean {
  const match = headers["if-none-match"];
  if (match !== undefined) return match.split(",").some((t) => t.trim() === etag || t.trim() === "*");
  const since = headers["if-modified-since"];
  return since !== undefined && Date.parse(since) >= Math.floor(modified.getTime() / 1000) * 1000;
}

/** Headers at once, then the body one byte every `intervalMs` (real time) until it is all sent or cut off. */
export function slowDrip(body: string, intervalMs = 100, contentType = "application/rss+xml"): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
    const bytes = Buffer.from(body);
    let at = 0;
    const timer = setInterval(() => {
      if (at >= bytes.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(bytes.subarray(at, ++at));
    }, intervalMs);
    res.once("close", () => clearInterval(timer));
  };
}

/**
 * A chunked body (no Content-Length) of `totalBytes` of "x", written as fast as the client reads and stopped when
 * it hangs up; for "a 2 GB body", pass a large total: nothing is held in memory but one chunk. `sent` counts the
 * bytes handed to the socket so far.
 */
export function endless(
  totalBytes: number,
  contentType = "application/rss+xml",
): Handler & { readonly sent: number } {
  let sent = 0;
  const handler: Handler = (_req, res) => {
    res.writeHead(200, { "content-type": contentType });
    const chunk = Buffer.alloc(64 * 1024, "x");
    let left = totalBytes;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        sent += part.length;
        if (!res.write(part)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
  return Object.defineProperty(handler, "sent", { get: () => sent }) as Handler & { readonly sent: number };
}
