// The one configuration schema: defaults from config/default.json, overridden by env, then CLI flags. The field
// types and their messages are in fields.ts.

import * as z from "zod/mini";
import { isValidTimeZone } from "../core/clock.js";
import {
  count,
  cronExpression,
  databaseUrl,
  flag,
  isLoopback,
  LOG_LEVELS,
  MAX_SHARDS,
  nonEmpty,
  port,
  shardList,
  shardProblems,
  shown,
  visibility,
} from "./fields.js";

export { EVERY_MINUTE, isLoopback, LOG_LEVELS } from "./fields.js";

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
