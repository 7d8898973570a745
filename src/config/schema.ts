// The one configuration schema: defaults from config/default.json, overridden by env, then CLI flags.

import { createRequire } from "node:module";
import type * as NodeCron from "node-cron";
import { en } from "zod/locales";
import * as z from "zod/mini";
import { isValidTimeZone } from "../core/clock.js";

// Each schema parses one settings file or environment once per process: zod's compiled parsers (generated with
// new Function on first use) would cost more to build than they save. Set before any schema is made. zod/mini
// (the same checks without the chained methods, so a one-shot command loads less) brings no messages of its own:
// the English ones are the classic API's.
z.config({ ...en(), jitless: true });

const visibility = z.enum(["private", "public"]);

const nonEmpty = () => z.string().check(z.minLength(1));

/** pino's levels, and "silent". */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The offending value, for short settings only: a secret put in the wrong variable is never echoed whole. */
const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= 24 ? text : `a value of ${text.length} characters`;
};

/** A switch: JSON true/false from the defaults file, or exactly one of these words from the environment. */
const TRUTHY = ["true", "1", "yes", "on"];
const FALSY = ["false", "0", "no", "off"];
const flag = z.pipe(
  z.transform((v: unknown) => (typeof v === "boolean" ? String(v) : v)),
  z.stringbool({
    truthy: TRUTHY,
    falsy: FALSY,
    error: (iss) => `expected true/false, yes/no, on/off or 1/0, got ${shown(iss.input)}`,
  }),
);

/** A whole number, from JSON or from the text of an environment variable. */
const count = (...checks: z.core.CheckFn<number>[] | z.core.$ZodCheck<number>[]) =>
  z.coerce.number({ error: "expected a whole number" }).check(z.int(), ...checks);

const port = z.coerce
  .number({ error: "expected a port number (0-65535)" })
  .check(z.int(), z.minimum(0), z.maximum(65535));

/** The scan schedule of config/default.json: every minute, which node-cron accepts (a test holds it to that). */
export const EVERY_MINUTE = "* * * * *";

/**
 * node-cron's own check, so a schedule that passes here is one the scheduler accepts. node-cron is loaded only for
 * another schedule than the default: one-shot commands validate their config without it.
 */
const cronExpression = z.string().check(
  z.minLength(1),
  z.refine((v) => v === EVERY_MINUTE || nodeCron().validate(v), {
    error: (iss) =>
      `${shown(iss.input)} is not a valid cron schedule (five or six fields, e.g. "* * * * *" for every minute)`,
  }),
);

let cron: typeof NodeCron | undefined;
function nodeCron(): typeof NodeCron {
  cron ??= createRequire(import.meta.url)("node-cron") as typeof NodeCron;
  return cron;
}

/** More shards than any bot needs (Discord asks for one per 2,500 guilds); a typo like 1000 is caught. */
const MAX_SHARDS = 1024;

/** "0,2" or "0-3" (or a JSON array of ids): the shard ids, sorted and once each. */
const shardList = z.pipe(
  z.transform((v: unknown) => (typeof v === "string" ? parseShardList(v) : v)),
  z.array(z.number().check(z.int(), z.minimum(0)), {
    error: (iss) => `expected shard ids such as "0,1" or "0-3", got ${shown(iss.input)}`,
  }),
);

function parseShardList(text: string): number[] | string {
  const ids = new Set<number>();
  for (const part of text.split(",").map((p) => p.trim())) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part);
    if (!m) return text;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > MAX_SHARDS) return text;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

function shardProblems(shards: number[] | undefined, shardCount: number | undefined): string[] {
  if (!shards) return [];
  if (shardCount === undefined)
    return ["set DISCORD_SHARD_COUNT too: how many shards the bot runs in all, across every process"];
  if (shards.length === 0) return ["name at least one shard id, e.g. 0"];
  const beyond = shards.filter((id) => id >= shardCount);
  return beyond.length === 0
    ? []
    : [
        `shard ${beyond.join(", ")} does not exist with DISCORD_SHARD_COUNT=${shardCount} (ids are 0-${shardCount - 1})`,
      ];
}

/** Addresses only this machine can reach: the web pages need no token when the server listens on one. */
export const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);

/** The URL's scheme, or why it has none: the only part of a database URL an error message may show. */
function schemeOf(text: string): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  return m ? `${m[1]}://...` : "a value that is not a URL";
}

/**
 * CYBERBRIEF_DATABASE_URL / --database-url: a PostgreSQL URL selects the PostgreSQL store. A wrong one is named by
 * its scheme alone, so a password in it never reaches a message.
 */
const databaseUrl = z.string().check(
  z.refine(
    (v) => {
      if (!/^postgres(ql)?:\/\//i.test(v)) return false;
      try {
        new URL(v);
        return true;
      } catch {
        return false;
      }
    },
    {
      error: (iss) =>
        `expected a PostgreSQL URL such as postgres://user:password@host:5432/cyberbrief (postgres:// or postgresql://), got ${schemeOf(String(iss.input))}`,
    },
  ),
);

const settings = z.object({
  seedsDir: nonEmpty(),
  dbPath: nonEmpty(),
  /** The PostgreSQL store's URL; without it, the SQLite file dbPath. */
  databaseUrl: z.optional(databaseUrl),
  /** config/feeds.yaml: the operator's feeds (a missing file is none); config/ of the package by default. */
  feedsFile: nonEmpty(),
  logLevel: z.enum(LOG_LEVELS, {
    error: (iss) => `expected one of ${LOG_LEVELS.join(", ")}, got ${shown(iss.input)}`,
  }),
  httpPort: z.optional(port),
  /** CYBERBRIEF_HTTP_HOST: the address /healthz, /metrics and the web pages listen on (every interface by default). */
  httpHost: nonEmpty(),
  /** The read-only web pages beside /healthz (src/web): off unless CYBERBRIEF_WEB=on. */
  web: z.object({
    enabled: flag,
    /** CYBERBRIEF_WEB_TOKEN: a bearer token, or typed into the login form; needed unless httpHost is loopback. */
    token: z.optional(
      z.string().check(z.minLength(16, "expected at least 16 characters (e.g. openssl rand -hex 24)")),
    ),
  }),
  /** CYBERBRIEF_TZ: the IANA zone digest times are read in (daily at 08:00 of this zone). */
  timeZone: z._default(
    z.string().check(
      z.minLength(1),
      z.refine(isValidTimeZone, {
        error: (iss) =>
          `${shown(iss.input)} is not an IANA time zone name (e.g. UTC, Europe/Berlin, Pacific/Auckland)`,
      }),
    ),
    "UTC",
  ),
  ingest: z.object({
    scanCron: cronExpression,
    watch: flag,
    settleMs: count(z.minimum(0), z.maximum(60_000)),
    maxFileBytes: count(z.positive()),
  }),
  feeds: z.object({
    /** At least this long between two requests to one host (one request in flight per host at any time). */
    hostSpacingMs: count(z.minimum(0), z.maximum(3_600_000)),
    /** A feed or page larger than this (decoded) is refused. */
    maxBytes: count(z.minimum(1024)),
    /** Headers and the whole body must arrive within this. */
    timeoutMs: count(z.minimum(100), z.maximum(600_000)),
  }),
  alerts: z.object({
    maxAttempts: count(z.minimum(1), z.maximum(100)),
    baseRetryMs: count(z.minimum(0)),
    maxRetryMs: count(z.minimum(0)),
    floodThreshold: count(z.minimum(1)),
    floodWindowMs: count(z.minimum(1000)),
    /** Most stories one flood summary claims; more go into the next one, a window later (default 10,000). */
    floodSummaryMax: z.optional(count(z.minimum(2))),
    sendTimeoutMs: count(z.minimum(100)),
  }),
  slack: z.object({
    botToken: z.optional(nonEmpty()),
    appToken: z.optional(nonEmpty()),
    signingSecret: z.optional(nonEmpty()),
    apiUrl: z.optional(z.url()),
    port,
    replyVisibility: visibility,
    permissionPolicy: z.enum(["admins", "allowlist", "everyone"]),
    allowList: z.array(z.string()),
  }),
  discord: z.object({
    token: z.optional(nonEmpty()),
    applicationId: z.optional(nonEmpty()),
    guildId: z.optional(nonEmpty()),
    apiUrl: z.optional(z.url()),
    registerOnStart: flag,
    replyVisibility: visibility,
    /** DISCORD_SHARD_COUNT: the bot's gateway shards in all (Discord's guilds are split among them); 1 by default. */
    shardCount: z.optional(
      count(
        z.minimum(1, `expected 1 to ${MAX_SHARDS} shards`),
        z.maximum(MAX_SHARDS, `expected 1 to ${MAX_SHARDS} shards`),
      ),
    ),
    /** DISCORD_SHARDS: the shard ids this process runs ("0,2" or "0-3"); every shard of the count by default. */
    shards: z.optional(shardList),
  }),
});

/**
 * The settings, and the rules between them: the web pages need the port, and a token unless on loopback; Discord
 * shard ids need their count.
 */
export const configSchema = settings.check(
  z.superRefine((c, ctx) => {
    for (const message of shardProblems(c.discord.shards, c.discord.shardCount))
      ctx.addIssue({ code: "custom", path: ["discord", "shards"], message });
    if (!c.web.enabled) return;
    if (c.httpPort === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["web", "enabled"],
        message: "the web pages are served on CYBERBRIEF_HTTP_PORT: set it too (e.g. 8080)",
      });
    if (!c.web.token && !isLoopback(c.httpHost))
      ctx.addIssue({
        code: "custom",
        path: ["web", "enabled"],
        message: `the web pages show channels and deliveries: set CYBERBRIEF_WEB_TOKEN (16 or more characters), or CYBERBRIEF_HTTP_HOST=127.0.0.1 to serve them to this machine only (now ${c.httpHost})`,
      });
  }),
);

export type Config = z.output<typeof configSchema>;

/** The configured secret values, so the logger can blank them wherever they appear. */
export function secretValues(config: Config): string[] {
  const { slack, discord } = config;
  return [
    slack.botToken,
    slack.appToken,
    slack.signingSecret,
    discord.token,
    config.web.token,
    ...passwordOf(config.databaseUrl),
  ].filter((v): v is string => typeof v === "string" && v.length > 0);
}

/** The password in a database URL, as written and decoded (either may show up in a message). */
function passwordOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = new URL(url).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}
