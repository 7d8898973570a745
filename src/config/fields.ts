// The configuration's field types, checked with zod/mini: switches, whole numbers, ports, cron schedules, shard
// lists and the database URL, each with the one-line message a wrong value gets (schema.ts puts them together).

import { createRequire } from "node:module";
import type * as NodeCron from "node-cron";
import { en } from "zod/locales";
import * as z from "zod/mini";

// Each schema parses one settings file or environment once per process: zod's compiled parsers (generated with
// new Function on first use) would cost more to build than they save. Set before any schema is made. zod/mini
// (the same checks without the chained methods, so a one-shot command loads less) brings no messages of its own:
// the English ones are the classic API's.
z.config({ ...en(), jitless: true });

export const visibility = z.enum(["private", "public"]);

export const nonEmpty = () => z.string().check(z.minLength(1));

/** pino's levels, and "silent". */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The offending value, for short settings only: a secret put in the wrong variable is never echoed whole. */
export const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= 24 ? text : `a value of ${text.length} characters`;
};

/** A switch: JSON true/false from the defaults file, or exactly one of these words from the environment. */
const TRUTHY = ["true", "1", "yes", "on"];
const FALSY = ["false", "0", "no", "off"];
export const flag = z.pipe(
  z.transform((v: unknown) => (typeof v === "boolean" ? String(v) : v)),
  z.stringbool({
    truthy: TRUTHY,
    falsy: FALSY,
    error: (iss) => `expected true/false, yes/no, on/off or 1/0, got ${shown(iss.input)}`,
  }),
);

/** A whole number, from JSON or from the text of an environment variable. */
export const count = (...checks: z.core.$ZodCheck<number>[]) =>
  z.coerce.number({ error: "expected a whole number" }).check(z.int(), ...checks);

export const port = z.coerce
  .number({ error: "expected a port number (0-65535)" })
  .check(z.int(), z.minimum(0), z.maximum(65535));

/** The scan schedule of config/default.json: every minute, which node-cron accepts (a test holds it to that). */
export const EVERY_MINUTE = "* * * * *";

/**
 * node-cron's own check, so a schedule that passes here is one the scheduler accepts. node-cron is loaded only for
 * another schedule than the default: one-shot commands validate their config without it.
 */
export const cronExpression = z.string().check(
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
export const MAX_SHARDS = 1024;

/** "0,2" or "0-3" (or a JSON array of ids): the shard ids, sorted and once each. */
export const shardList = z.pipe(
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

export function shardProblems(shards: number[] | undefined, shardCount: number | undefined): string[] {
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
export const databaseUrl = z.string().check(
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
