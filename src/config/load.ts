// Builds the Config once: defaults file < .env file < process environment < CLI flags, validated with zod.

import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { ConfigError } from "../core/errors.js";
import { packagePath } from "../core/paths.js";
import { type Config, configSchema } from "./schema.js";

export type Env = Record<string, string | undefined>;

/** Flags every CLI command accepts. */
export interface ConfigFlags {
  db?: string;
  seeds?: string;
  logLevel?: string;
}

type Tree = { [key: string]: unknown };

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const bool = (v: string) => !["0", "false", "no", "off"].includes(v.trim().toLowerCase());

/** Environment variable -> config path (and how to read its text). */
const ENV_MAP: Array<[string, string[], (v: string) => unknown]> = [
  ["CYBERBRIEF_DB", ["dbPath"], String],
  ["CYBERBRIEF_SEEDS_DIR", ["seedsDir"], String],
  ["CYBERBRIEF_HTTP_PORT", ["httpPort"], String],
  ["CYBERBRIEF_SCAN_CRON", ["ingest", "scanCron"], String],
  ["CYBERBRIEF_WATCH", ["ingest", "watch"], bool],
  ["CYBERBRIEF_FLOOD_THRESHOLD", ["alerts", "floodThreshold"], Number],
  ["LOG_LEVEL", ["logLevel"], (v) => v.toLowerCase()],
  ["SLACK_BOT_TOKEN", ["slack", "botToken"], String],
  ["SLACK_APP_TOKEN", ["slack", "appToken"], String],
  ["SLACK_SIGNING_SECRET", ["slack", "signingSecret"], String],
  ["SLACK_API_URL", ["slack", "apiUrl"], String],
  ["SLACK_PORT", ["slack", "port"], String],
  ["SLACK_REPLY_VISIBILITY", ["slack", "replyVisibility"], String],
  ["SLACK_PERMISSION_POLICY", ["slack", "permissionPolicy"], String],
  ["SLACK_ALLOWLIST", ["slack", "allowList"], list],
  ["DISCORD_TOKEN", ["discord", "token"], String],
  ["DISCORD_APPLICATION_ID", ["discord", "applicationId"], String],
  ["DISCORD_GUILD_ID", ["discord", "guildId"], String],
  ["DISCORD_API_URL", ["discord", "apiUrl"], String],
  ["DISCORD_REGISTER_ON_START", ["discord", "registerOnStart"], bool],
  ["DISCORD_REPLY_VISIBILITY", ["discord", "replyVisibility"], String],
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

/** Reads `.env` from cwd when present; real environment variables win over it. */
export function envWithDotenv(env: Env, cwd: string): Env {
  const file = resolve(cwd, ".env");
  if (!existsSync(file)) return env;
  return { ...parseDotenv(readFileSync(file)), ...env };
}

export interface LoadOptions {
  env?: Env;
  flags?: ConfigFlags;
  cwd?: string;
  /** Defaults file; config/default.json of the package when not given. */
  defaultsFile?: string;
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const cwd = opts.cwd ?? process.cwd();
  const env = envWithDotenv(opts.env ?? process.env, cwd);
  const tree = readJson(opts.defaultsFile ?? packagePath("config", "default.json"));
  for (const [name, path, read] of ENV_MAP) {
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== "") setPath(tree, path, read(raw.trim()));
  }
  const flags = opts.flags ?? {};
  if (flags.db) tree.dbPath = flags.db;
  if (flags.seeds) tree.seedsDir = flags.seeds;
  if (flags.logLevel) tree.logLevel = flags.logLevel;

  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    const envName = (path: PropertyKey[]) => ENV_MAP.find(([, p]) => p.join(".") === path.join("."))?.[0];
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const where = issue.path.join(".") || "(root)";
        const name = envName(issue.path);
        const fix = name ? ` (set ${name} or edit config/default.json)` : " (edit config/default.json)";
        return `${where}: ${issue.message}${fix}`;
      }),
    );
  }
  const config = parsed.data;
  config.seedsDir = resolve(cwd, config.seedsDir);
  if (config.dbPath !== ":memory:") config.dbPath = resolve(cwd, config.dbPath);
  return config;
}
