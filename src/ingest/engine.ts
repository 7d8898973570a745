// The ingest queue: scans and watcher events feed it; each file is settled, read, analysed and stored once at a time.

import { readFile, stat } from "node:fs/promises";
import type { Analyse, Article } from "../core/article.js";
import { type Clock, isoNow, systemClock } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../log/logger.js";
import type { FileFacts, FileRecord, SaveOutcome, ScanReport, StoryStore } from "../store/types.js";
import { isRejected, type RejectReason, readArticle } from "./reader.js";
import { scanFolder } from "./scanner.js";

export type FileOutcome = SaveOutcome["kind"] | "rejected" | "gone";

export interface IngestDeps {
  store: StoryStore;
  analyse: Analyse;
  log: Logger;
  clock?: Clock;
  /** A file must keep its size and mtime this long before it is read. */
  settleMs: number;
  maxFileBytes: number;
  /** Called after every new or revised story is stored. */
  onStored?: (article: Article, outcome: SaveOutcome) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "";
const MAX_SETTLE_ROUNDS = 50;

export class IngestEngine {
  private readonly pending = new Map<string, Promise<FileOutcome>>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;
  private stopped = false;

  constructor(private readonly deps: IngestDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** Queue one path; a path already waiting to be processed is not queued twice. */
  enqueue(path: string): Promise<FileOutcome> {
    const waiting = this.pending.get(path);
    if (waiting) return waiting;
    const job = this.settle(path).then((facts) => {
      // Leave `pending` before running, so an event during processing queues a fresh look.
      this.pending.delete(path);
      return facts ? this.serial(() => this.process(facts)) : ("gone" as const);
    });
    this.pending.set(path, job);
    return job;
  }

  /** One pass over the folder: unchanged files are skipped from the ledger, the rest are queued. */
  async scan(root: string): Promise<ScanReport> {
    const startedAt = isoNow(this.clock);
    const report: ScanReport = { startedAt, finishedAt: startedAt, new: 0, updated: 0, unchanged: 0, duplicate: 0, rejected: 0 };
    const { files, problems } = scanFolder(root);
    const index = await this.deps.store.fileIndex();
    for (const p of problems) {
      const facts = { path: p.path, size: p.size ?? 0, mtimeMs: p.mtimeMs ?? 0 };
      if (sameFacts(index.get(p.path), facts) && index.get(p.path)?.status === "rejected") continue;
      await this.reject(facts, p.reason, p.detail);
      report.rejected++;
    }
    const jobs: Promise<FileOutcome>[] = [];
    for (const f of files) {
      if (sameFacts(index.get(f.path), f)) report.unchanged++;
      else jobs.push(this.enqueue(f.path));
    }
    for (const outcome of await Promise.all(jobs)) {
      if (outcome === "new") report.new++;
      else if (outcome === "revised") report.updated++;
      else if (outcome === "unchanged") report.unchanged++;
      else if (outcome === "duplicate") report.duplicate++;
      else if (outcome === "rejected") report.rejected++;
    }
    report.finishedAt = isoNow(this.clock);
    await this.deps.store.recordScan(report);
    return report;
  }

  /** Resolves when everything queued so far is done. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()]);
    await this.tail;
  }

  stop(): void {
    this.stopped = true;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Wait until size and mtime stay the same across two checks `settleMs` apart (a half-written file is never read). */
  private async settle(path: string): Promise<FileFacts | null> {
    let prev: FileFacts | null = null;
    for (let round = 0; round < MAX_SETTLE_ROUNDS && !this.stopped; round++) {
      let facts: FileFacts;
      try {
        const st = await stat(path);
        if (!st.isFile()) return null;
        facts = { path, size: st.size, mtimeMs: st.mtimeMs };
      } catch {
        return null;
      }
      const age = this.clock.now() - facts.mtimeMs;
      if (prev && sameFacts(prev, facts)) return facts;
      if (!prev && age >= this.deps.settleMs && age < 86_400_000 * 365 * 100) {
        // Untouched for the whole settle window already: that counts as the earlier check.
        prev = facts;
        continue;
      }
      prev = facts;
      await sleep(Math.max(20, Math.min(this.deps.settleMs, this.deps.settleMs - Math.max(0, age))));
    }
    return prev;
  }

  private async process(facts: FileFacts): Promise<FileOutcome> {
    const { log, store, analyse } = this.deps;
    if (facts.size > this.deps.maxFileBytes) {
      return this.reject(facts, "too-large", `${facts.size} bytes; the limit is ${this.deps.maxFileBytes}`);
    }
    let buf: Buffer;
    try {
      buf = await readFile(facts.path);
    } catch (err) {
      const c = errno(err);
      if (c === "ENOENT") return this.reject(facts, "vanished", "the file disappeared before it could be read");
      if (c === "ELOOP") return this.reject(facts, "symlink-loop", "symbolic link loop");
      return this.reject(facts, "unreadable", `${c || "error"}: ${errorMessage(err)}`);
    }
    if (buf.length !== facts.size) {
      // It changed while being read: look again once it has settled.
      return this.enqueueLater(facts.path);
    }
    const parsed = readArticle(buf, facts);
    if (isRejected(parsed)) return this.reject(facts, parsed.rejected, parsed.detail);
    try {
      const analysis = analyse(parsed);
      const outcome = await store.saveArticle(parsed, analysis, facts);
      if (outcome.kind === "new" || outcome.kind === "revised") {
        log.info({ story: outcome.storyId, revision: outcome.revision, file: facts.path }, `stored ${outcome.kind} story`);
        this.deps.onStored?.(parsed, outcome);
      } else {
        log.debug({ story: outcome.storyId, file: facts.path }, `file ${outcome.kind}`);
      }
      return outcome.kind;
    } catch (err) {
      log.error({ err, file: facts.path }, "could not store article");
      return this.reject(facts, "unreadable", `internal error while storing: ${errorMessage(err)}`);
    }
  }

  private enqueueLater(path: string): Promise<FileOutcome> {
    void this.tail.then(() => this.enqueue(path));
    return Promise.resolve("gone");
  }

  private async reject(facts: FileFacts, reason: RejectReason, detail: string): Promise<FileOutcome> {
    const { fresh } = await this.deps.store.recordRejection(facts, reason, detail);
    if (fresh) this.deps.log.warn({ file: facts.path, reason, detail }, "rejected article file");
    return "rejected";
  }
}

function sameFacts(rec: FileRecord | FileFacts | undefined, f: FileFacts): boolean {
  return rec !== undefined && rec.size === f.size && rec.mtimeMs === f.mtimeMs;
}
