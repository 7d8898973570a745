// `cyberbrief run` in a process: one bot per database, and an ordered shutdown on Ctrl-C, SIGTERM or SIGHUP.

import type { ConsoleLogSink } from "../chat/console/above-prompt.js";
import type { Config } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import { runBot } from "../main.js";
import { lockDatabase } from "../store/sqlite/lock.js";

/** Each of these asks for the same ordered stop; SIGHUP is a closed terminal or `tmux kill-session`. */
const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export async function runCommand(config: Config, log: Logger, logSink?: ConsoleLogSink): Promise<void> {
  // Before anything touches the file: a second bot on it would double every alert. On PostgreSQL several
  // replicas share the database: leadership and claimed deliveries keep each alert single (docs/postgres.md).
  const lock = config.databaseUrl ? null : lockDatabase(config.dbPath, "cyberbrief run");
  try {
    await runUntilStopped((onQuit) => runBot(config, log, { onQuit, logSink }), log);
  } finally {
    lock?.release();
  }
}

/** Runs the bot until a stop signal or the console user quits; a second signal exits at once. */
async function runUntilStopped(
  start: (onQuit: () => void) => Promise<{ stop(): Promise<void> }>,
  log: Logger,
): Promise<void> {
  let requestStop: (why: string) => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => {
    requestStop = resolve;
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    if (signal === "SIGHUP") {
      // The terminal is gone: writing to it fails, and that must not stop the shutdown half-way.
      process.stdout.on("error", () => undefined);
      process.stderr.on("error", () => undefined);
    }
    requestStop(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  try {
    const bot = await start(() => requestStop("console closed"));
    const why = await stopRequested;
    log.info({ why }, "stopping (press Ctrl-C again to exit at once)");
    try {
      await bot.stop();
    } catch (err) {
      log.error({ err }, "error while stopping");
      process.exitCode = 1;
    }
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
