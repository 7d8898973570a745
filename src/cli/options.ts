// Options every CLI command shares, and turning them into a validated Config and a logger.

import { existsSync } from "node:fs";
import type { Command } from "commander";
import { type ConfigFlags, loadSettings } from "../config/load.js";
import { type Config, secretValues } from "../config/schema.js";
import { CyberbriefError } from "../core/errors.js";
import { createLogger, type Logger } from "../log/logger.js";

export interface CommonOpts {
  db?: string;
  seeds?: string;
  logLevel?: string;
  /** `--feeds FILE` (run, feed list, feed remove): config/feeds.yaml elsewhere. */
  feeds?: string;
  /** `--database-url postgres://...`: the PostgreSQL store instead of the SQLite file. */
  databaseUrl?: string;
}

/** Options that take a value, so a command-line scan can skip the value. */
export const VALUE_OPTIONS = [
  "--db",
  "--database-url",
  "--seeds",
  "--log-level",
  "--guild",
  "--feeds",
  "--since",
];

export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("--db <file>", "SQLite database file (env CYBERBRIEF_DB)")
    .option(
      "--database-url <url>",
      "PostgreSQL instead of SQLite: postgres://user:password@host:5432/db (env CYBERBRIEF_DATABASE_URL)",
    )
    .option("--seeds <dir>", "folder of article files (env CYBERBRIEF_SEEDS_DIR)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (env LOG_LEVEL)");
}

/**
 * One-shot commands log warnings and worse unless a level is asked for (flag, environment or .env), so their
 * output stays readable. The logger blanks the configured tokens and secrets wherever they appear.
 * `logTo` replaces stderr as the log stream (pretty when it is a terminal).
 */
export function setup(
  opts: CommonOpts,
  quietByDefault: boolean,
  env: NodeJS.ProcessEnv = process.env,
  logTo?: NodeJS.WritableStream & { isTTY: boolean },
): { config: Config; log: Logger } {
  const flags: ConfigFlags = {
    db: opts.db,
    seeds: opts.seeds,
    logLevel: opts.logLevel,
    feeds: opts.feeds,
    databaseUrl: opts.databaseUrl,
  };
  const { config, origins } = loadSettings({ flags, env });
  const level = quietByDefault && !origins.has("logLevel") ? "warn" : config.logLevel;
  const to = logTo ? { destination: logTo, pretty: logTo.isTTY } : {};
  return { config, log: createLogger({ level, secrets: secretValues(config), ...to }) };
}

/**
 * Commands that only read refuse a missing database rather than create an empty one and report nothing. A
 * PostgreSQL store (`config.databaseUrl`) is checked when it is opened.
 */
export function requireDatabase(config: Pick<Config, "dbPath" | "databaseUrl">): void {
  const { dbPath } = config;
  if (config.databaseUrl || dbPath === ":memory:" || existsSync(dbPath)) return;
  throw new CyberbriefError(
    "store/no-database",
    `no database at ${dbPath}; run \`cyberbrief ingest\` or \`cyberbrief run\` first, or point --db / CYBERBRIEF_DB at it`,
  );
}
