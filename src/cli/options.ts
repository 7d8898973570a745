// Options every CLI command shares, and turning them into a validated Config and a logger.

import type { Command } from "commander";
import { type ConfigFlags, loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { createLogger, type Logger } from "../log/logger.js";

export interface CommonOpts {
  db?: string;
  seeds?: string;
  logLevel?: string;
}

export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("--db <file>", "SQLite database file (env CYBERBRIEF_DB)")
    .option("--seeds <dir>", "folder of article files (env CYBERBRIEF_SEEDS_DIR)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (env LOG_LEVEL)");
}

/**
 * One-shot commands log warnings and worse unless a level is asked for, so their output stays readable.
 * `logTo` replaces stderr as the log stream (pretty when it is a terminal).
 */
export function setup(
  opts: CommonOpts,
  quietByDefault: boolean,
  logTo?: NodeJS.WritableStream & { isTTY: boolean },
): { config: Config; log: Logger } {
  const flags: ConfigFlags = { db: opts.db, seeds: opts.seeds, logLevel: opts.logLevel };
  const explicitLevel = opts.logLevel ?? process.env.LOG_LEVEL;
  const config = loadConfig({ flags });
  const level = quietByDefault && !explicitLevel ? "warn" : config.logLevel;
  const to = logTo ? { destination: logTo, pretty: logTo.isTTY } : {};
  return { config, log: createLogger({ level, ...to }) };
}
