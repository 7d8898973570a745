// `cyberbrief ingest`: one scan of the seeds folder, then exit with the counts.

import { existsSync } from "node:fs";
import type { Config } from "../config/schema.js";
import { CyberbriefError } from "../core/errors.js";
import type { Logger } from "../log/logger.js";
import { buildCore, storeWhere } from "../main.js";
import { progressReporter } from "../ops/progress.js";
import { lockDatabase } from "../store/sqlite/lock.js";
import { scanLine } from "./status.js";

export async function ingestOnce(config: Config, log: Logger, json: boolean): Promise<number> {
  if (!existsSync(config.seedsDir)) {
    throw new CyberbriefError(
      "ingest/no-seeds",
      `the seeds folder ${config.seedsDir} does not exist; create it or point --seeds / CYBERBRIEF_SEEDS_DIR at your articles`,
    );
  }
  // A running bot already scans its folder: two scanners deciding "new" from their own view of the ledger
  // would race, so ingest takes the same lock as `run` and is refused while the bot runs.
  // On PostgreSQL the same rule holds through the scheduler's leadership (main/scheduler.ts leadOnce).
  const fileLock = config.databaseUrl ? null : lockDatabase(config.dbPath, "cyberbrief ingest");
  const tty = process.stderr.isTTY && !json ? process.stderr : null;
  let core: Awaited<ReturnType<typeof buildCore>>;
  let lock: { release(): unknown };
  try {
    core = await buildCore(config, log, { onProgress: progressReporter({ log, tty }), analysisWorker: true });
  } catch (err) {
    fileLock?.release();
    throw err;
  }
  try {
    lock = fileLock ?? (await (await import("../main/scheduler.js")).leadOnce(core, log));
  } catch (err) {
    await core.close();
    throw err;
  }
  try {
    const started = performance.now();
    const report = await core.engine.scan(config.seedsDir);
    await core.engine.idle();
    const ms = Math.round(performance.now() - started);
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ ...report, ms, seeds: config.seedsDir, db: storeWhere(config) })}\n`,
      );
    } else {
      process.stdout.write(
        `${scanLine(report)} in ${ms} ms (seeds: ${config.seedsDir}, db: ${storeWhere(config)})\n`,
      );
      if (report.rejected > 0)
        process.stdout.write("Run `cyberbrief status` to see why files were rejected.\n");
    }
    return 0;
  } finally {
    await core.close();
    await lock.release();
  }
}
