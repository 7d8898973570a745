// The feed poller's HTTP client, polite and safe: conditional GET, one request at a time per host with spacing,
// a timeout for connect and for the whole answer, a size cap on the decoded body, redirects followed by hand and
// checked hop by hop, and the address policy enforced on every connection. It never throws.

import { Agent, type Response, fetch as undiciFetch } from "undici";
import { type Clock, systemClock } from "../core/clock.js";
import { type AddressRule, connectLookup, describeFailure, oneLine, PUBLIC_ONLY } from "./connect.js";
import { blockedAddress, literalHost, type Resolve, systemResolve } from "./guard.js";
import { HostGate, realSleep, type Sleep } from "./hosts.js";
import { formatBytes, formatMs, maxAgeMs, retryAfterMs } from "./http-headers.js";
import type { AddressPolicy, FetchRequest, FetchResult } from "./types.js";

export interface FetcherOptions {
  /** Names cyberbrief and its version, e.g. "cyberbrief/0.1.0 (+https://github.com/…)". */
  userAgent: string;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Default 30 s: the headers and the whole body (of all hops together) must arrive within it. */
  totalTimeoutMs?: number;
  /** Default 5 MB, counted on the decoded body; a larger Content-Length fails before reading. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Default 1000: the next request to a host starts no sooner than this after the previous one ended. */
  hostSpacingMs?: number;
  /** Time for the host spacing and for Retry-After dates (default the system clock and real sleep). */
  clock?: Clock;
  sleep?: Sleep;
  /** Name → addresses for the connect lookup of both policies (default the system resolver). */
  resolve?: Resolve;
  /** Which addresses policy "public" refuses (default guard.ts `blockedAddress`). */
  blocked?: AddressRule;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Hop = FetchResult | { kind: "redirect"; status: number; location: string | null };

const failed = (reason: string, status: number | null = null, retryAfterMs: number | null = null) =>
  ({ kind: "failed", reason, status, retryAfterMs }) as const;

const visitKey = (url: URL): string => url.href.replace(/#.*$/, "");

export class PoliteFetcher {
  private readonly connectTimeoutMs: number;
  private readonly totalTimeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly clock: Clock;
  private readonly blocked: AddressRule;
  private readonly gate: HostGate;
  /** One connection pool per policy, so a connection opened for an operator feed never serves a chat feed. */
  private readonly agents: Record<AddressPolicy, Agent>;
  private closed: Promise<void> | null = null;

  constructor(private readonly opts: FetcherOptions) {
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.totalTimeoutMs = opts.totalTimeoutMs ?? 30_000;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxRedirects = opts.maxRedirects ?? 5;
    this.clock = opts.clock ?? systemClock;
    this.blocked = opts.blocked ?? blockedAddress;
    this.gate = new HostGate(opts.hostSpacingMs ?? 1000, this.clock, opts.sleep ?? realSleep);
    const resolve = opts.resolve ?? systemResolve;
    const agent = (rule: AddressRule | null) =>
      new Agent({
        // The total timeout is the fetcher's own timer (it spans all hops); undici's are left at their defaults.
        connect: { timeout: this.connectTimeoutMs, lookup: connectLookup(resolve, rule) },
      });
    this.agents = { any: agent(null), public: agent(this.blocked) };
  }

  /** GETs `req.url`, following redirects; every failure is `{ kind: "failed" }` with a one-line reason. */
  async fetch(req: FetchRequest): Promise<FetchResult> {
    if (this.closed) return failed("the fetcher is closed");
    try {
      return await this.follow(req);
    } catch (err) {
      return failed(req.signal?.aborted ? "aborted" : oneLine(String(err)));
    }
  }

  /** Closes the connection pools; later fetches fail. */
  close(): Promise<void> {
    this.closed ??= Promise.all([this.agents.any.close(), this.agents.public.close()]).then(() => undefined);
    return this.closed;
  }

  private async follow(req: FetchRequest): Promise<FetchResult> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return failed(`not a URL: ${oneLine(req.url)}`);
    }
    const signal = req.signal ?? new AbortController().signal;
    const visited = new Set<string>();
    const budget = { ms: this.totalTimeoutMs };
    for (let redirects = 0; ; redirects++) {
      const after = redirects > 0 ? ` (redirected to ${url.href})` : "";
      const refusal = this.refusal(url, req.policy);
      if (refusal) return failed(`${refusal}${after}`);
      visited.add(visitKey(url));
      const at = url;
      let hop: Hop;
      try {
        hop = await this.gate.run(at.hostname, () => this.hop(at, req, budget), signal);
      } catch {
        return failed("aborted");
      }
      if (hop.kind === "failed") return after ? { ...hop, reason: `${hop.reason}${after}` } : hop;
      if (hop.kind !== "redirect") return hop;
      if (!hop.location) return failed(`HTTP ${hop.status} redirect without a Location${after}`, hop.status);
      let next: URL;
      try {
        next = new URL(hop.location, url);
      } catch {
        return failed(
          `HTTP ${hop.status} redirect to an invalid address: ${oneLine(hop.location)}`,
          hop.status,
        );
      }
      if (visited.has(visitKey(next))) return failed(`redirect loop: ${visitKey(next)} was already visited`);
      if (redirects >= this.maxRedirects)
        return failed(`more than ${this.maxRedirects} redirects`, hop.status);
      url = next;
    }
  }

  /** Why this hop may not be made before connecting: its scheme, or (policy "public") a literal address. */
  private refusal(url: URL, policy: AddressPolicy): string | null {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return `only http and https can be fetched, not ${url.protocol.replace(/:$/, "")}`;
    }
    // Literal addresses never reach the connect lookup, so they are checked here.
    const literal = policy === "public" ? literalHost(url) : null;
    const why = literal ? this.blocked(literal) : null;
    return why ? `${url.hostname} is ${why}; ${PUBLIC_ONLY}` : null;
  }

  /** One request, within what is left of the time budget (which it uses up). */
  private async hop(url: URL, req: FetchRequest, budget: { ms: number }): Promise<Hop> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      Math.max(0, budget.ms),
    );
    const signal = req.signal ? AbortSignal.any([controller.signal, req.signal]) : controller.signal;
    const started = performance.now();
    try {
      const res = await undiciFetch(url, {
        dispatcher: this.agents[req.policy],
        redirect: "manual",
        headers: this.headers(req),
        signal,
      });
      return await this.answer(url, res, req);
    } catch (err) {
      if (timedOut) return failed(`timed out: no complete answer within ${formatMs(this.totalTimeoutMs)}`);
      if (req.signal?.aborted) return failed("aborted");
      return failed(describeFailure(err, { host: url.host, connectTimeoutMs: this.connectTimeoutMs }));
    } finally {
      clearTimeout(timer);
      budget.ms -= performance.now() - started;
    }
  }

  private headers(req: FetchRequest): Record<string, string> {
    const headers: Record<string, string> = {
      "user-agent": this.opts.userAgent,
      accept: req.accept,
      "accept-encoding": "gzip, br",
    };
    if (req.etag) headers["if-none-match"] = req.etag;
    if (req.lastModified) headers["if-modified-since"] = req.lastModified;
    return headers;
  }

  private async answer(url: URL, res: Response, req: FetchRequest): Promise<Hop> {
    const { status, headers } = res;
    if (status < 200 || status > 299) await res.body?.cancel().catch(() => undefined);
    if (REDIRECT_STATUSES.has(status)) return { kind: "redirect", status, location: headers.get("location") };
    if (status === 304) {
      return {
        kind: "not-modified",
        url: url.href,
        etag: headers.get("etag") ?? req.etag ?? null,
        lastModified: headers.get("last-modified") ?? req.lastModified ?? null,
        maxAgeMs: maxAgeMs(headers.get("cache-control")),
      };
    }
    if (status === 429 || status === 503) {
      return failed(`HTTP ${status}`, status, retryAfterMs(headers.get("retry-after"), this.clock.now()));
    }
    if (status < 200 || status > 299) return failed(`HTTP ${status}`, status);
    const cap = formatBytes(this.maxBytes);
    const declared = headers.get("content-length");
    if (declared !== null && Number(declared) > this.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      return failed(`body over the ${cap} limit (Content-Length ${declared})`, status);
    }
    const body = await this.readCapped(res);
    if (!body) return failed(`body over the ${cap} limit`, status);
    return {
      kind: "ok",
      url: url.href,
      status,
      body,
      contentType: headers.get("content-type"),
      etag: headers.get("etag"),
      lastModified: headers.get("last-modified"),
      maxAgeMs: maxAgeMs(headers.get("cache-control")),
    };
  }

  /** The decoded body, read chunk by chunk; null (and the rest left unread) once it passes the cap. */
  private async readCapped(res: Response): Promise<Buffer | null> {
    if (!res.body) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > this.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, size);
  }
}
