// Builds the Config once: defaults file < .env file < process environment < CLI flags, validated with zod.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type * as Dotenv from "dotenv";
import { ConfigError } from "../core/errors.js";
import { packagePath } from "../core/paths.js";
import { type Config, configSchema } from "./schema.js";

export type Env = Record<string, string | undefined>;

/** Flags every CLI command accepts. */
export interface ConfigFlags {
  db?: string;
  seeds?: string;
  logLevel?: string;
  feeds?: string;
  databaseUrl?: string;
}

type Tree = { [key: string]: unknown };

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Environment variable -> config path. Text is passed on as it is: the schema checks and converts it. */
export const ENV_MAP: Array<[string, string[], ((v: string) => unknown)?]> = [
  ["CYBERBRIEF_DB", ["dbPath"]],
  ["CYBERBRIEF_DATABASE_URL", ["databaseUrl"]],
  ["CYBERBRIEF_SEEDS_DIR", ["seedsDir"]],
  ["CYBERBRIEF_FEEDS_FILE", ["feedsFile"]],
  ["CYBERBRIEF_HTTP_PORT", ["httpPort"]],
  ["CYBERBRIEF_HTTP_HOST", ["httpHost"]],
  ["CYBERBRIEF_WEB", ["web", "enabled"], (v) => v.toLowerCase()],
  ["CYBERBRIEF_WEB_TOKEN", ["web", "token"]],
  ["CYBERBRIEF_SCAN_CRON", ["ingest", "scanCron"]],
  ["CYBERBRIEF_WATCH", ["ingest", "watch"], (v) => v.toLowerCase()],
  ["CYBERBRIEF_FEED_SPACING_MS", ["feeds", "hostSpacingMs"]],
  ["CYBERBRIEF_FEED_MAX_BYTES", ["feeds", "maxBytes"]],
  ["CYBERBRIEF_FEED_TIMEOUT_MS", ["feeds", "timeoutMs"]],
  ["CYBERBRIEF_FLOOD_THRESHOLD", ["alerts", "floodThreshold"]],
  ["CYBERBRIEF_FLOOD_WINDOW_MS", ["alerts", "floodWindowMs"]],
  ["CYBERBRIEF_FLOOD_SUMMARY_MAX", ["alerts", "floodSummaryMax"]],
  ["CYBERBRIEF_TZ", ["timeZone"]],
  ["LOG_LEVEL", ["logLevel"], (v) => v.toLowerCase()],
  ["SLACK_BOT_TOKEN", ["slack", "botToken"]],
  ["SLACK_APP_TOKEN", ["slack", "appToken"]],
  ["SLACK_SIGNING_SECRET", ["slack", "signingSecret"]],
  ["SLACK_API_URL", ["slack", "apiUrl"]],
  ["SLACK_PORT", ["slack", "port"]],
  ["SLACK_REPLY_VISIBILITY", ["slack", "replyVisibility"]],
  ["SLACK_PERMISSION_POLICY", ["slack", "permissionPolicy"]],
  ["SLACK_ALLOWLIST", ["slack", "allowList"], list],
  ["DISCORD_TOKEN", ["discord", "token"]],
  ["DISCORD_APPLICATION_ID", ["discord", "applicationId"]],
  ["DISCORD_GUILD_ID", ["discord", "guildId"]],
  ["DISCORD_API_URL", ["discord", "apiUrl"]],
  ["DISCORD_REGISTER_ON_START", ["discord", "registerOnStart"], (v) => v.toLowerCase()],
  ["DISCORD_REPLY_VISIBILITY", ["discord", "replyVisibility"]],
  ["DISCORD_SHARD_COUNT", ["discord", "shardCount"]],
  ["DISCORD_SHARDS", ["discord", "shards"]],
];

const FLAGS: Array<[keyof ConfigFlags, string, string]> = [
  ["db", "dbPath", "--db"],
  ["seeds", "seedsDir", "--seeds"],
  ["logLevel", "logLevel", "--log-level"],
  ["feeds", "feedsFile", "--feeds"],
  ["databaseUrl", "databaseUrl", "--database-url"],
];

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

function readJson(file: string): Tree {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Tree;
  } catch (err) {
    throw new ConfigError([`${file}: ${(err as Error).message}`]);
  }
}

function readDotenv(cwd: string): { file: string; values: Env } | null {
  const file = resolve(cwd, ".env");
  if (!existsSync(file)) return null;
  try {
    // dotenv is loaded only when there is a .env to read.
    const { parse } = createRequire(import.meta.url)("dotenv") as typeof Dotenv;
    return { file, values: parse(readFileSync(file)) };
  } catch (err) {
    throw new ConfigError([`${file}: ${(err as Error).message}`]);
  }
}

export interface LoadOptions {
  env?: Env;
  flags?: ConfigFlags;
  cwd?: string;
  /** Defaults file; config/default.json of the package when not given. */
  defaultsFile?: string;
}

export function loadConfig(opts: LoadOptions = {}): Config {
  return loadSettings(opts).config;
}

/** The Config, and where each setting that is not a default came from (config path -> variable or flag). */
export function loadSettings(opts: LoadOptions = {}): { config: Config; origins: Map<string, string> } {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const dotenv = readDotenv(cwd);
  const defaultsFile = opts.defaultsFile ?? packagePath("config", "default.json");
  const tree = readJson(defaultsFile);
  // Next to the package's other configuration unless a variable or --feeds says otherwise.
  tree.feedsFile ??= packagePath("config", "feeds.yaml");
  /** Config path -> where its value came from, to name the thing to fix. */
  const origin = new Map<string, string>();
  for (const [name, path, read] of ENV_MAP) {
    // A real environment variable wins over .env, even when it is set to nothing (then the default applies).
    const fromEnv = env[name] !== undefined;
    const raw = fromEnv ? env[name] : dotenv?.values[name];
    if (raw === undefined || raw.trim() === "") continue;
    setPath(tree, path, read ? read(raw.trim()) : raw.trim());
    origin.set(path.join("."), fromEnv ? name : `${name} in ${dotenv?.file}`);
  }
  const flags = opts.flags ?? {};
  for (const [flag, key, option] of FLAGS) {
    const value = flags[flag];
    if (value === undefined || value === "") continue;
    tree[key] = value;
    origin.set(key, option);
  }

  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join(".") || "(root)";
        const from = origin.get(key);
        if (from) return `${from}: ${issue.message}`;
        const name = ENV_MAP.find(([, p]) => p.join(".") === key)?.[0];
        return `${key} in ${defaultsFile}: ${issue.message}${name ? ` (or set ${name})` : ""}`;
      }),
    );
  }
  const config = parsed.data;
  config.seedsDir = resolve(cwd, config.seedsDir);
  config.feedsFile = resolve(cwd, config.feedsFile);
  if (config.dbPath !== ":memory:") config.dbPath = resolve(cwd, config.dbPath);
  return { config, origins: origin };
}
