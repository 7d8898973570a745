// A fake Slack on 127.0.0.1: Web API, Socket Mode WebSocket and response_url, with a request log, a failure
// plan per method, and Slack's Block Kit limits enforced so tests prove the renderer stays inside them.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

import { blockProblems, type WireBlock } from "./block-limits.js";
import { FakeFiles } from "./fake-files.js";

// Polling, never sleeping: the project's shared helper.
export { waitFor } from "../../helpers/tmp.js";
export { blockProblems, type WireBlock } from "./block-limits.js";

export type Failure =
  | { kind: "ratelimit"; retryAfter: number }
  | { kind: "http"; status: number }
  | { kind: "error"; error: string }
  | { kind: "hang" }
  /** Slack does the call (a message is posted) but the answer never comes: a send in flight at a crash. */
  | { kind: "hold" };

export interface ApiCall {
  method: string;
  params: Record<string, string>;
  token: string | undefined;
  /** What the fake answered (status and body), for asserting on failures too. */
  status: number;
  answer: Record<string, unknown> | null;
}

export interface ResponsePost {
  /** The last path segment of the response_url. */
  id: string;
  body: Record<string, unknown>;
  accepted: boolean;
}

export interface FakeUser {
  id: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

export const BOT_TOKEN = "xoxb-fake-bot";
export const APP_TOKEN = "xapp-fake-app";
export const TEAM = "T0FAKE";

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  /** Socket Mode acknowledgements sent back by the client, by envelope id. */
  readonly acks: Array<{ envelope_id: string; payload?: unknown }> = [];
  readonly users = new Map<string, FakeUser>();
  /** Added to every Web API answer, to keep sends in flight for a while (crash tests). */
  latencyMs = 0;
  /** When set, Slack refuses the bot token everywhere with this code (e.g. token_revoked). */
  revoked: string | undefined;
  /** Messages posted, by ts, as last edited: what the channel now shows. */
  readonly messages = new Map<
    string,
    {
      channel: string;
      text: string;
      blocks: WireBlock[];
      metadata?: Record<string, unknown>;
      thread_ts?: string;
      reply_broadcast?: boolean;
    }
  >();
  /** Files uploaded through files.getUploadURLExternal and files.completeUploadExternal. */
  readonly uploads = new FakeFiles(() => `http://127.0.0.1:${this.port}`);
  private readonly plan = new Map<string, Failure[]>();
  private readonly sockets = new Set<WebSocket>();
  private readonly hung = new Set<ServerResponse>();
  private envelopes = 0;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
  ) {}

  /** `port`: listen on that port (one noted earlier, for a Slack that comes back); any free one by default. */
  static async start(opts: { port?: number } = {}): Promise<FakeSlack> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: "/socket" });
    const fake = new FakeSlack(server, wss);
    server.on("request", (req, res) => void fake.route(req, res));
    wss.on("connection", (ws) => {
      fake.sockets.add(ws);
      ws.on("close", () => fake.sockets.delete(ws));
      ws.on("message", (data) => fake.acks.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0FAKE" } }));
    });
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** The next calls to `method` fail this way, in order; later calls succeed again. */
  fail(method: string, ...failures: Failure[]): void {
    this.plan.set(method, [...(this.plan.get(method) ?? []), ...failures]);
  }

  /** The replies in the thread of the message `ts`, oldest first. */
  replies(ts: string): Array<{ ts: string; text: string; blocks: WireBlock[] }> {
    return [...this.messages.entries()]
      .filter(([, m]) => m.thread_ts === ts)
      .map(([replyTs, m]) => ({ ts: replyTs, text: m.text, blocks: m.blocks }));
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Sends an envelope (`slash_commands`, `interactive`) to every connected socket; returns its id. */
  sendEnvelope(type: string, payload: Record<string, unknown>): string {
    const envelope_id = `env-${++this.envelopes}`;
    const frame = JSON.stringify({
      envelope_id,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
    });
    for (const ws of this.sockets) ws.send(frame);
    return envelope_id;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname.startsWith("/upload/")) {
      // Slack takes the bytes raw or as the file part of a multipart form (what web-api sends).
      const file = await fileBytes(req.headers["content-type"], bytes);
      const [status, text] = this.uploads.upload(url.pathname.slice("/upload/".length), file);
      res.writeHead(status, { "content-type": "text/plain" }).end(text);
      return;
    }
    if (url.pathname.startsWith("/response/")) {
      const body = JSON.parse(raw) as Record<string, unknown>;
      const problem =
        body.blocks === undefined
          ? null
          : (blockProblems(body.blocks) ?? this.uploads.imageProblems(body.blocks));
      this.responses.push({ id: url.pathname.slice("/response/".length), body, accepted: !problem });
      res
        .writeHead(problem ? 400 : 200, { "content-type": "text/plain" })
        .end(problem ? "invalid_blocks" : "ok");
      return;
    }
    if (!url.pathname.startsWith("/api/")) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice("/api/".length);
    const params = req.headers["content-type"]?.includes("json")
      ? (JSON.parse(raw) as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? params.token;
    const call: ApiCall = { method, params, token, status: 200, answer: null };
    this.calls.push(call);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const failure = this.plan.get(method)?.shift();
    if (failure?.kind === "hang") {
      this.hung.add(res);
      return;
    }
    if (failure?.kind === "ratelimit") {
      call.status = 429;
      res.writeHead(429, { "retry-after": String(failure.retryAfter) }).end();
      return;
    }
    if (failure?.kind === "http") {
      call.status = failure.status;
      res.writeHead(failure.status).end("upstream trouble");
      return;
    }
    call.answer =
      failure?.kind === "error" ? { ok: false, error: failure.error } : this.answer(method, params, token);
    if (failure?.kind === "hold") {
      this.hung.add(res);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(call.answer));
  }

  private answer(method: string, params: Record<string, string>, token?: string): Record<string, unknown> {
    const expected = method === "apps.connections.open" ? APP_TOKEN : BOT_TOKEN;
    if (token !== expected) return { ok: false, error: "invalid_auth" };
    if (this.revoked && token === BOT_TOKEN) return { ok: false, error: this.revoked };
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          team_id: TEAM,
          team: "Fake",
          user_id: "U0BOT",
          bot_id: "B0BOT",
          user: "cyberbrief",
        };
      case "apps.connections.open":
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      case "users.info": {
        const user = this.users.get(params.user ?? "");
        return user ? { ok: true, user: { ...user, team_id: TEAM } } : { ok: false, error: "user_not_found" };
      }
      case "chat.postMessage": {
        if (!params.channel) return { ok: false, error: "channel_not_found" };
        if (!params.text && !params.blocks) return { ok: false, error: "no_text" };
        const problem = params.blocks ? blockProblems(JSON.parse(params.blocks)) : null;
        if (problem) return { ok: false, error: "invalid_blocks", detail: problem };
        // A reply names its thread by the parent's ts. What Slack answers for a ts it does not know is not
        // documented, so the fake does not guess: it records the reply.
        const ts = `1700000000.${String(this.messages.size + 1).padStart(6, "0")}`;
        // Like Slack, metadata (a JSON string in the form) is kept only with an event_type and an event_payload.
        const metadata = params.metadata
          ? (JSON.parse(params.metadata) as Record<string, unknown>)
          : undefined;
        const kept = metadata?.event_type && metadata.event_payload ? { metadata } : {};
        this.messages.set(ts, {
          channel: params.channel,
          text: params.text ?? "",
          blocks: wire(params),
          ...kept,
          ...(params.thread_ts ? { thread_ts: params.thread_ts } : {}),
          ...(params.reply_broadcast === "true" ? { reply_broadcast: true } : {}),
        });
        return { ok: true, channel: params.channel, ts };
      }
      case "chat.update": {
        const posted = this.messages.get(params.ts ?? "");
        if (!posted || posted.channel !== params.channel) return { ok: false, error: "message_not_found" };
        const problem = params.blocks ? blockProblems(JSON.parse(params.blocks)) : null;
        if (problem) return { ok: false, error: "invalid_blocks", detail: problem };
        this.messages.set(params.ts as string, { ...posted, text: params.text ?? "", blocks: wire(params) });
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      }
      case "files.getUploadURLExternal":
        return this.uploads.getUploadURL(params);
      case "files.completeUploadExternal":
        return this.uploads.complete(params);
      case "conversations.history":
        return historyOf(this.messages, params);
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}

/** conversations.history: the channel's messages newest first, `limit` (default 100, at most 999) of them. */
function historyOf(messages: FakeSlack["messages"], params: Record<string, string>): Record<string, unknown> {
  if (!params.channel) return { ok: false, error: "channel_not_found" };
  const limit = Math.min(Number(params.limit ?? 100) || 100, 999);
  const withMetadata = params.include_all_metadata === "true" || params.include_all_metadata === "1";
  const all = [...messages.entries()]
    .filter(([, m]) => m.channel === params.channel)
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([ts, m]) => ({
      type: "message",
      subtype: "bot_message",
      bot_id: "B0BOT",
      ts,
      text: m.text,
      blocks: m.blocks,
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    }));
  return {
    ok: true,
    messages: all.slice(0, limit),
    has_more: all.length > limit,
    pin_count: 0,
    response_metadata: { next_cursor: "" },
  };
}

const wire = (params: Record<string, string>): WireBlock[] =>
  params.blocks ? (JSON.parse(params.blocks) as WireBlock[]) : [];

/** The body itself, or the first file part of a multipart form. */
async function fileBytes(type: string | undefined, bytes: Buffer): Promise<Buffer> {
  if (!type?.startsWith("multipart/form-data")) return bytes;
  const form = await new Response(new Uint8Array(bytes), { headers: { "content-type": type } }).formData();
  for (const [, value] of form) if (typeof value !== "string") return Buffer.from(await value.arrayBuffer());
  return Buffer.alloc(0);
}
