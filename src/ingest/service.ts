// Keeps ingest running: a node-cron schedule rescans the folder and a file watcher reacts within about a second.

import { basename, extname } from "node:path";
import { watch } from "chokidar";
import cron from "node-cron";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../log/logger.js";
import type { ScanReport } from "../store/types.js";
import type { IngestEngine } from "./engine.js";
import { ARTICLE_EXTENSIONS, isIgnoredName } from "./scanner.js";

export interface IngestServiceOptions {
  engine: IngestEngine;
  seedsDir: string;
  scanCron: string;
  watch: boolean;
  log: Logger;
  onScan?: (report: ScanReport) => void;
}

export interface IngestService {
  /** The first scan; resolves when it is done. */
  ready: Promise<ScanReport>;
  scanNow(): Promise<ScanReport>;
  stop(): Promise<void>;
}

export function validCron(expr: string): boolean {
  return cron.validate(expr);
}

export function startIngestService(opts: IngestServiceOptions): IngestService {
  const { engine, seedsDir, log } = opts;
  let running: Promise<ScanReport> | null = null;

  const scanNow = (): Promise<ScanReport> => {
    // A scan that is already running answers for the next request too: scans never overlap.
    running ??= engine
      .scan(seedsDir)
      .then((report) => {
        const changed = report.new + report.updated + report.rejected;
        log[changed > 0 ? "info" : "debug"]({ ...report }, "scan finished");
        opts.onScan?.(report);
        return report;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const task = cron.schedule(
    opts.scanCron,
    () => {
      scanNow().catch((err) => log.error({ err }, "scheduled scan failed"));
    },
    { name: "cyberbrief-scan", noOverlap: true },
  );

  const watcher = opts.watch
    ? watch(seedsDir, {
        ignoreInitial: true,
        followSymlinks: true,
        ignored: (path: string) => isIgnoredName(basename(path)) && path !== seedsDir,
        depth: 64,
      })
    : null;
  const onFile = (path: string) => {
    const ext = extname(path).toLowerCase();
    if (ext !== "" && !ARTICLE_EXTENSIONS.has(ext)) return;
    engine.enqueue(path).catch((err) => log.error({ err, file: path }, "ingest of a watched file failed"));
  };
  watcher?.on("add", onFile).on("change", onFile);
  watcher?.on("error", (err) =>
    log.warn({ err: errorMessage(err) }, "file watcher error; the scheduled scan still runs"),
  );

  const ready = scanNow();
  return {
    ready,
    scanNow,
    async stop() {
      await task.stop();
      engine.stop();
      await watcher?.close();
      await running?.catch(() => undefined);
      await engine.idle();
    },
  };
}
