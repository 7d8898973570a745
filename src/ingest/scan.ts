// One pass over the seeds folder: problems recorded, unchanged files skipped by the ledger, the rest queued.

import { type Clock, isoNow } from "../core/clock.js";
import type { RejectReason } from "../core/reject.js";
import type { FileFacts, FileRecord, IngestStore, SaveOutcome, ScanReport } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import { scanFolder } from "./scanner.js";

export type FileOutcome = SaveOutcome["kind"] | "rejected" | "gone";

export interface ScanContext {
  store: IngestStore;
  log: Logger;
  clock: Clock;
  onProgress?: (done: number, total: number) => void;
  /** Queues a file the walk found (its size and mtime as the walk saw them). */
  enqueue(facts: FileFacts): Promise<FileOutcome>;
  reject(facts: FileFacts, reason: RejectReason, detail: string): Promise<"rejected">;
  /** Called for each folder just before the walk lists it (the folder watcher starts watching it there). */
  beforeList?: (dir: string) => void;
}

export const sameFacts = (rec: FileRecord | FileFacts | undefined, f: FileFacts): boolean =>
  rec !== undefined && rec.size === f.size && rec.mtimeMs === f.mtimeMs;

/** Walk `root`, queue what changed and wait for it; the report is recorded in the store. */
export async function scanPass(
  root: string,
  ctx: ScanContext,
): Promise<{ report: ScanReport; folders: string[] }> {
  const startedAt = isoNow(ctx.clock);
  const report: ScanReport = {
    startedAt,
    finishedAt: startedAt,
    new: 0,
    updated: 0,
    unchanged: 0,
    duplicate: 0,
    rejected: 0,
  };
  const { files, problems, folders } = scanFolder(root, ctx.beforeList);
  const index = await ctx.store.fileRecords([...problems.map((p) => p.path), ...files.map((f) => f.path)]);
  for (const p of problems) {
    if (p.path === root) {
      // The folder itself is missing or unreadable: a setup problem to report, not a rejected article.
      ctx.log.warn({ seeds: root, detail: p.detail }, "cannot read the seeds folder");
      continue;
    }
    const facts = { path: p.path, size: p.size ?? 0, mtimeMs: p.mtimeMs ?? 0 };
    if (sameFacts(index.get(p.path), facts) && index.get(p.path)?.status === "rejected") continue;
    await ctx.reject(facts, p.reason, p.detail);
    report.rejected++;
  }
  const jobs: Promise<FileOutcome>[] = [];
  for (const f of files) {
    if (sameFacts(index.get(f.path), f)) report.unchanged++;
    else jobs.push(ctx.enqueue(f));
  }
  if (ctx.onProgress && jobs.length > 0) {
    let done = 0;
    const total = jobs.length;
    ctx.onProgress(0, total);
    for (const job of jobs) void job.then(() => ctx.onProgress?.(++done, total));
  }
  for (const outcome of await Promise.all(jobs)) {
    if (outcome === "new") report.new++;
    else if (outcome === "revised") report.updated++;
    else if (outcome === "unchanged") report.unchanged++;
    else if (outcome === "duplicate") report.duplicate++;
    else if (outcome === "rejected") report.rejected++;
  }
  report.finishedAt = isoNow(ctx.clock);
  await ctx.store.recordScan(report);
  return { report, folders };
}
