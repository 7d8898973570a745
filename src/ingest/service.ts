// Keeps ingest running: a node-cron schedule rescans the folder and a folder watcher reacts within about a second.

import { extname } from "node:path";
import cron from "node-cron";
import { errorMessage } from "../core/errors.js";
import type { ScanReport } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { IngestEngine } from "./engine.js";
import { ARTICLE_EXTENSIONS } from "./scanner.js";
import { FolderWatcher, type WatchFolder } from "./watcher.js";

export interface IngestServiceOptions {
  engine: IngestEngine;
  seedsDir: string;
  scanCron: string;
  watch: boolean;
  log: Logger;
  onScan?: (report: ScanReport) => void;
  /** fs.watch for one folder; tests pass their own. */
  watchFolder?: WatchFolder;
}

export interface IngestService {
  /** The first scan; resolves when it is done. */
  ready: Promise<ScanReport>;
  scanNow(): Promise<ScanReport>;
  /** How many folders the watcher watches (0 when it is off or gave up). */
  watchedFolders(): number;
  stop(): Promise<void>;
}

export function validCron(expr: string): boolean {
  return cron.validate(expr);
}

const LIMIT_WARNING =
  "the system's file-watch limit is reached (raise fs.inotify.max_user_watches); new files are picked up by the scheduled scan instead (CYBERBRIEF_SCAN_CRON)";

export function startIngestService(opts: IngestServiceOptions): IngestService {
  const { engine, seedsDir, log } = opts;
  let running: Promise<ScanReport> | null = null;
  let again = false;
  let stopped = false;

  const onFile = (path: string) => {
    const ext = extname(path).toLowerCase();
    if (ext !== "" && !ARTICLE_EXTENSIONS.has(ext)) return;
    engine.enqueue(path).catch((err) => log.error({ err, file: path }, "ingest of a watched file failed"));
  };
  const watcher = opts.watch
    ? new FolderWatcher({
        onPath: onFile,
        onFolder: () => requestScan(),
        onLimit: (err) => log.warn({ code: err.code, err: errorMessage(err) }, LIMIT_WARNING),
        onProblem: (dir, err) => log.debug({ dir, err: errorMessage(err) }, "cannot watch a folder"),
        watch: opts.watchFolder,
      })
    : null;

  const scanNow = (): Promise<ScanReport> => {
    // A scan that is already running answers for the next request too: scans never overlap.
    running ??= engine
      // Each folder is watched before the walk lists it, so a file written at any moment is seen by one or both.
      .scan(seedsDir, watcher ? (dir) => watcher.watch(dir) : undefined)
      .then((report) => {
        const changed = report.new + report.updated + report.rejected;
        log[changed > 0 ? "info" : "debug"]({ ...report }, "scan finished");
        // Stop watching folders gone since; one the walk could not watch then (a passing error) is tried again,
        // and a file written into it meanwhile is found by one more scan.
        if ((watcher?.sync(engine.folders) ?? 0) > 0) again = true;
        opts.onScan?.(report);
        return report;
      })
      .finally(() => {
        running = null;
        if (again) requestScan();
      });
    return running;
  };
  /** A scan after the one running now (which may have walked before the change), or one now. */
  const requestScan = () => {
    again = running !== null;
    if (!again && !stopped) scanNow().catch((err) => log.error({ err }, "scan failed"));
  };

  const task = cron.schedule(
    opts.scanCron,
    () => {
      scanNow().catch((err) => log.error({ err }, "scheduled scan failed"));
    },
    { name: "cyberbrief-scan", noOverlap: true },
  );

  const ready = scanNow();
  return {
    ready,
    scanNow,
    watchedFolders: () => watcher?.size ?? 0,
    async stop() {
      stopped = true;
      await task.stop();
      engine.stop();
      watcher?.close();
      await running?.catch(() => undefined);
      await engine.idle();
    },
  };
}
