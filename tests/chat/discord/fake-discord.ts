// A fake Discord (REST + gateway on one 127.0.0.1 port) that the real discord.js client can log in to.
// It keeps a request and frame log, a scriptable failure plan, and enforces Discord's message limits.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import {
  checkChoices,
  checkMessage,
  type FakeGuild,
  guildPayload,
  invalid,
  listMessages,
  messagePayload,
  type PlanStep,
} from "./fake-payloads.js";
import { checkReference, type FakeThread, startThread } from "./fake-threads.js";
import { checkUploads, readBody, type UploadedFile } from "./fake-uploads.js";

export {
  checkMessage,
  type FakeGuild,
  failures,
  type PlannedResponse,
  type PlanStep,
} from "./fake-payloads.js";

export interface RecordedRequest {
  method: string;
  /** Path without the query, as sent (e.g. `/api/v10/webhooks/A/T/messages/%40original`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Files of a multipart request (its JSON is in `body`). */
  files?: UploadedFile[];
  at: number;
  status?: number;
}

export interface Frame {
  dir: "in" | "out";
  conn: number;
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
  at: number;
}

export interface FakeDiscordOptions {
  token: string;
  applicationId: string;
  botUserId: string;
  guilds: FakeGuild[];
  heartbeatIntervalMs: number;
  /** The token IDENTIFY must carry, when it should differ from the REST one (default: the same). */
  gatewayToken?: string;
  /** The shard count `GET /gateway/bot` recommends (default 1). Clients may IDENTIFY with any count. */
  shards?: number;
}

/** One gateway session: a shard's events in order, kept for replay to the client that resumes it. */
interface Session {
  id: string;
  /** [shard id, shard count] from IDENTIFY ([0, 1] when the client sent none). */
  shard: [number, number];
  seq: number;
  history: Array<{ s: number; t: string; d: unknown }>;
  ws: WebSocket | undefined;
}

/** The shard that receives a guild's events: (guild id >> 22) modulo the count, as Discord documents. */
export const shardOf = (guildId: string, count: number): number =>
  Number((BigInt(guildId) >> 22n) % BigInt(count));

let snowflake = 1_300_000_000_000_000_000n;
export const nextId = (): string => String(++snowflake);

const DEFAULTS: FakeDiscordOptions = {
  token: "fake-bot-token",
  applicationId: "1100000000000000001",
  botUserId: "1100000000000000002",
  guilds: [
    {
      id: "1200000000000000001",
      name: "Test guild",
      channels: ["1200000000000000011", "1200000000000000012"],
    },
  ],
  heartbeatIntervalMs: 400,
};

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Messages posted, by id, as last edited: what the channel now shows. */
  readonly messages = new Map<string, Record<string, unknown> & { channel_id: string }>();
  readonly frames: Frame[] = [];
  /** Threads started on messages: a thread's id is its starter message's id; its parent is the channel. */
  readonly threads = new Map<string, FakeThread>();
  /** Channels whose type allows no threads (a voice channel's chat, a thread): starting one answers 50024. */
  readonly noThreads = new Set<string>();
  readonly opts: FakeDiscordOptions;
  private readonly plan: PlanStep[] = [];
  private readonly server = createServer((req, res) => void this.onHttp(req, res));
  private readonly wss = new WebSocketServer({ server: this.server });
  private readonly sockets = new Set<WebSocket>();
  private readonly hung = new Set<ServerResponse>();
  private readonly interactions = new Map<string, { at: number; answered: boolean }>();
  /** The live session of each shard ("id/count"); a new IDENTIFY of that shard replaces it. */
  private readonly sessions = new Map<string, Session>();
  private connCount = 0;
  private port = 0;

  private constructor(opts: Partial<FakeDiscordOptions>) {
    this.opts = { ...DEFAULTS, ...opts };
    this.wss.on("connection", (ws) => this.onSocket(ws));
  }

  /** `port`: listen there (one noted earlier, for a Discord that comes back); any free port by default. */
  static async start(opts: Partial<FakeDiscordOptions> & { port?: number } = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    await new Promise<void>((resolve) => fake.server.listen(opts.port ?? 0, "127.0.0.1", resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** What DISCORD_API_URL is set to (no `/v10`; the library appends it). */
  get apiUrl(): string {
    return `${this.url}/api`;
  }
  get guild(): FakeGuild {
    return this.opts.guilds[0] as FakeGuild;
  }

  /** Queue an answer for the next matching request(s), ahead of the normal routes. */
  fail(step: PlanStep): void {
    this.plan.push({ times: 1, ...step });
  }

  /**
   * Sends a dispatch to every session whose shard owns its guild (all of them for an event of no guild), kept for
   * replay to a client that resumes; a session whose socket is closed gets it on RESUME.
   */
  dispatch(t: string, d: unknown): void {
    const body = d as { guild_id?: unknown; id?: unknown } | null;
    const guild = body?.guild_id ?? (t.startsWith("GUILD_") ? body?.id : undefined);
    for (const session of this.sessions.values()) {
      const [id, count] = session.shard;
      if (typeof guild === "string" && shardOf(guild, count) !== id) continue;
      this.sendDispatch(session, t, d);
    }
  }

  /** The [id, count] of each shard with a live session, in order. */
  shardsConnected(): Array<[number, number]> {
    return [...this.sessions.values()]
      .filter((s) => s.ws && this.sockets.has(s.ws))
      .map((s) => s.shard)
      .sort((a, b) => a[0] - b[0]);
  }

  /** Delivers an INTERACTION_CREATE (build it with fixtures.ts) and starts its 3-second answer window. */
  interact(payload: { id: string; token: string }): void {
    this.interactions.set(payload.token, { at: Date.now(), answered: false });
    this.dispatch("INTERACTION_CREATE", payload);
  }

  /** Closes every gateway connection with `code` (4000 = unknown error: the client should RESUME). */
  closeGateway(code: number, reason = "fake says goodbye"): void {
    for (const ws of this.sockets) ws.close(code, reason);
  }

  openSockets(): number {
    return this.sockets.size;
  }

  find(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Interaction callbacks (type 4 reply, 5 defer, 8 autocomplete), in order. */
  callbacks(): Array<{ type: number; data?: Record<string, unknown>; path: string; at: number }> {
    return this.find("POST", /\/interactions\/\d+\/[^/]+\/callback$/).map((r) => ({
      ...(r.body as { type: number; data?: Record<string, unknown> }),
      path: r.path,
      at: r.at,
    }));
  }

  /** Polls until `probe` returns something truthy; fails with the log tail so a timeout says what happened. */
  async waitFor<T>(probe: () => T | undefined | null | false, ms = 3000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > until) {
        const tail = this.requests.slice(-5).map((r) => `${r.method} ${r.path} -> ${r.status}`);
        throw new Error(`waitFor timed out after ${ms} ms; last requests:\n${tail.join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    for (const res of this.hung) res.destroy();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- gateway ----

  private send(ws: WebSocket, frame: { op: number; t?: string | null; s?: number | null; d: unknown }): void {
    const conn = (ws as WebSocket & { conn?: number }).conn ?? 0;
    this.frames.push({ dir: "out", conn, ...frame, at: Date.now() });
    ws.send(JSON.stringify({ t: null, s: null, ...frame }));
  }

  private onSocket(ws: WebSocket): void {
    const conn = ++this.connCount;
    Object.assign(ws, { conn });
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (raw) => this.onFrame(ws, conn, JSON.parse(String(raw))));
    this.send(ws, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs } });
  }

  private onFrame(ws: WebSocket, conn: number, f: { op: number; d: Record<string, unknown> }): void {
    this.frames.push({ dir: "in", conn, op: f.op, d: f.d, at: Date.now() });
    if (f.op === 1) this.send(ws, { op: 11, d: null });
    else if (f.op === 2) this.identify(ws, f.d);
    else if (f.op === 6) this.resume(ws, f.d);
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== (this.opts.gatewayToken ?? this.opts.token)) {
      ws.close(4004, "Authentication failed.");
      return;
    }
    const [shardId, shardCount] = Array.isArray(d.shard) ? (d.shard as [number, number]) : [0, 1];
    if (!(shardCount >= 1 && shardId >= 0 && shardId < shardCount)) {
      ws.close(4010, "Invalid shard.");
      return;
    }
    const session: Session = {
      id: `session-${nextId()}`,
      shard: [shardId, shardCount],
      seq: 0,
      history: [],
      ws,
    };
    this.sessions.set(`${shardId}/${shardCount}`, session);
    const guilds = this.opts.guilds.filter((g) => shardOf(g.id, shardCount) === shardId);
    const { botUserId: id, applicationId } = this.opts;
    const user = {
      id,
      username: "cyberbrief",
      discriminator: "0",
      global_name: null,
      avatar: null,
      bot: true,
    };
    this.sendDispatch(session, "READY", {
      v: 10,
      user,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      shard: [shardId, shardCount],
      application: { id: applicationId, flags: 0 },
    });
    for (const g of guilds) this.sendDispatch(session, "GUILD_CREATE", guildPayload(g, id));
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.history.push({ s, t, d });
    if (session.ws && this.sockets.has(session.ws)) this.send(session.ws, { op: 0, t, s, d });
  }

  private resume(ws: WebSocket, d: Record<string, unknown>): void {
    const session = [...this.sessions.values()].find((s) => s.id === d.session_id);
    if (!session || d.token !== this.opts.token) {
      this.send(ws, { op: 9, d: false });
      return;
    }
    session.ws = ws;
    // Replay what the client missed while it was away, then confirm.
    for (const h of session.history)
      if (h.s > Number(d.seq)) this.send(ws, { op: 0, t: h.t, s: h.s, d: h.d });
    this.send(ws, { op: 0, t: "RESUMED", s: session.seq, d: {} });
  }

  // ---- REST ----

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const { body, files } = await readBody(req.headers, Buffer.concat(chunks));
    const url = new URL(req.url ?? "/", this.url);
    const rec: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      ...(files ? { files } : {}),
      at: Date.now(),
    };
    this.requests.push(rec);
    const step = this.plan.find((p) => (!p.method || p.method === rec.method) && p.path.test(rec.path));
    if (step) {
      step.times = (step.times ?? 1) - 1;
      if (step.times <= 0) this.plan.splice(this.plan.indexOf(step), 1);
      if (step.respond === "hang") {
        this.hung.add(res);
        rec.status = -1;
        return;
      }
      return this.answer(res, rec, step.respond.status, step.respond.body, step.respond.headers);
    }
    const refused = checkUploads(rec.body, rec.files);
    const [status, answer] = refused.length > 0 ? invalid(refused) : this.route(rec);
    this.answer(res, rec, status, answer);
  }

  private answer(
    res: ServerResponse,
    rec: RecordedRequest,
    status: number,
    body?: unknown,
    headers = {},
  ): void {
    rec.status = status;
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) h["Content-Type"] = "application/json";
    res.writeHead(status, h);
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private authed(rec: RecordedRequest): boolean {
    return rec.headers.authorization === `Bot ${this.opts.token}`;
  }

  private route(rec: RecordedRequest): [number, unknown?] {
    const p = rec.path.replace(/^\/api\/v10/, "");
    const unauthorized: [number, unknown] = [401, { message: "401: Unauthorized", code: 0 }];
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(p);
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/%40original)?$/.exec(p);
    const messages = /^\/channels\/(\d+)\/messages$/.exec(p);
    const threadRoute = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(p);
    const edit = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(p);
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(p);
    // Interaction routes are authorised by their token, not the bot's; everything else needs the bot token.
    if (!callback && !webhook && !this.authed(rec)) return unauthorized;
    if (rec.method === "GET" && p === "/gateway/bot") {
      const shards = this.opts.shards ?? 1;
      // Each of the recommended shards may IDENTIFY at once (as for a large bot), so tests need not wait 5 s apiece.
      const limit = { total: 1000, remaining: 999, reset_after: 0, max_concurrency: shards };
      return [200, { url: `ws://127.0.0.1:${this.port}`, shards, session_start_limit: limit }];
    }
    if (rec.method === "POST" && callback) {
      return this.callback(
        callback[2] as string,
        rec.body as { type: number; data?: Record<string, unknown> },
      );
    }
    if (webhook) return this.webhook(rec, webhook);
    if (rec.method === "GET" && messages)
      return listMessages(this.messages, messages[1] as string, rec.query);
    if (rec.method === "POST" && messages) {
      const channel = messages[1] as string;
      const thread = this.threads.get(channel);
      if (!thread && !this.opts.guilds.some((x) => x.channels.includes(channel))) {
        return [404, { code: 10003, message: "Unknown Channel" }];
      }
      if (thread?.locked) return [403, { code: 160005, message: "Thread is locked" }];
      // Sending in an archived (not locked) thread unarchives it.
      if (thread) thread.archived = false;
      const body = rec.body as Record<string, unknown>;
      const problem = checkReference(this, body, channel);
      return problem ?? this.message(body, channel);
    }
    if (rec.method === "POST" && threadRoute) {
      return startThread(this, threadRoute[1] as string, threadRoute[2] as string, rec.body);
    }
    if (rec.method === "PATCH" && edit) return this.edit(rec.body as Record<string, unknown>, edit);
    if (rec.method === "PUT" && commands) return this.register(rec, commands[1] as string, commands[2]);
    return [404, { code: 0, message: "404: Not Found" }];
  }

  private webhook(rec: RecordedRequest, [, app, token, original]: RegExpExecArray): [number, unknown?] {
    const known = app === this.opts.applicationId && this.interactions.has(token as string);
    if (!known) return [404, { code: 10015, message: "Unknown Webhook" }];
    if (rec.method === "DELETE" && original) return [204];
    if ((rec.method === "PATCH" && original) || (rec.method === "POST" && !original)) {
      return this.message(rec.body as Record<string, unknown>, this.guild.channels[0] as string);
    }
    return [405, { code: 0, message: "405: Method Not Allowed" }];
  }

  private register(rec: RecordedRequest, app: string, guild: string | undefined): [number, unknown] {
    const missing: [number, unknown] = [403, { code: 50001, message: "Missing Access" }];
    if (app !== this.opts.applicationId) return missing;
    if (guild && !this.opts.guilds.some((x) => x.id === guild)) return missing;
    const cmds = (rec.body as Array<Record<string, unknown>>).map((c) => ({
      ...c,
      id: nextId(),
      application_id: app,
      version: nextId(),
      default_member_permissions: null,
      ...(guild ? { guild_id: guild } : {}),
    }));
    return [200, cmds];
  }

  private callback(
    token: string,
    body: { type: number; data?: Record<string, unknown> },
  ): [number, unknown?] {
    const known = this.interactions.get(token);
    if (!known || Date.now() - known.at > 3000) return [404, { code: 10062, message: "Unknown interaction" }];
    if (known.answered) return [400, { code: 40060, message: "Interaction has already been acknowledged." }];
    const problems = body.type === 8 ? checkChoices(body.data) : body.data ? checkMessage(body.data) : [];
    if (problems.length > 0) return invalid(problems);
    known.answered = true;
    return [204];
  }

  private message(body: Record<string, unknown>, channel: string): [number, unknown] {
    const problems = checkMessage(body);
    if (problems.length > 0) return invalid(problems);
    const sent = messagePayload(body, channel, this.opts.botUserId, nextId());
    this.messages.set(sent.id, sent);
    return [200, sent];
  }

  private edit(body: Record<string, unknown>, [, channel, id]: RegExpExecArray): [number, unknown] {
    const posted = this.messages.get(id as string);
    if (!posted || posted.channel_id !== channel) return [404, { code: 10008, message: "Unknown Message" }];
    const problems = checkMessage(body);
    if (problems.length > 0) return invalid(problems);
    const edited = { ...posted, ...body, edited_timestamp: new Date().toISOString() };
    this.messages.set(id as string, edited);
    return [200, edited];
  }
}
