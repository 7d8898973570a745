// The ingest queue: scans and watcher events feed it; each file is settled, read, analysed and stored once at a time.

import { readFile, stat } from "node:fs/promises";
import type { Analyse, Analysis, Article } from "../core/article.js";
import { type Clock, isoNow, systemClock } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../log/logger.js";
import type { FileFacts, FileRecord, SaveItem, SaveOutcome, ScanReport, StoryStore } from "../store/types.js";
import { isRejected, type RejectReason, readArticle } from "./reader.js";
import { scanFolder } from "./scanner.js";

export type FileOutcome = SaveOutcome["kind"] | "rejected" | "gone";

export interface IngestDeps {
  store: StoryStore;
  analyse: Analyse;
  /** The same analysis off the main thread (see analysis-pool.ts); `analyse` is the fallback. */
  analyseAsync?: (article: Article) => Promise<Analysis>;
  log: Logger;
  clock?: Clock;
  /** A file must keep its size and mtime this long before it is read. */
  settleMs: number;
  maxFileBytes: number;
  /** Called after every new or revised story is stored. */
  onStored?: (article: Article, outcome: SaveOutcome) => void;
  /** Called when a file is newly rejected (once per file and reason). */
  onRejected?: (reason: RejectReason) => void;
  /** Progress of a scan with work to do: files done out of files queued. */
  onProgress?: (done: number, total: number) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "";
const MAX_SETTLE_ROUNDS = 50;
/** Files saved per transaction. */
const BATCH = 200;

interface ReadyJob {
  facts: FileFacts;
  resolve: (outcome: FileOutcome) => void;
}

export class IngestEngine {
  private readonly pending = new Map<string, Promise<FileOutcome>>();
  private readonly ready: ReadyJob[] = [];
  private working: Promise<void> | null = null;
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
      if (!facts) return "gone" as const;
      return new Promise<FileOutcome>((resolve) => {
        this.ready.push({ facts, resolve });
        this.kick();
      });
    });
    this.pending.set(path, job);
    return job;
  }

  /** One pass over the folder: unchanged files are skipped from the ledger, the rest are queued. */
  async scan(root: string): Promise<ScanReport> {
    const startedAt = isoNow(this.clock);
    const report: ScanReport = {
      startedAt,
      finishedAt: startedAt,
      new: 0,
      updated: 0,
      unchanged: 0,
      duplicate: 0,
      rejected: 0,
    };
    const { files, problems } = scanFolder(root);
    const index = await this.deps.store.fileIndex();
    for (const p of problems) {
      if (p.path === root) {
        // The folder itself is missing or unreadable: a setup problem to report, not a rejected article.
        this.deps.log.warn({ seeds: root, detail: p.detail }, "cannot read the seeds folder");
        continue;
      }
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
    if (this.deps.onProgress && jobs.length > 0) {
      let done = 0;
      const total = jobs.length;
      this.deps.onProgress(0, total);
      for (const job of jobs) void job.then(() => this.deps.onProgress?.(++done, total));
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
    while (this.pending.size > 0 || this.working) {
      await Promise.allSettled([...this.pending.values()]);
      await this.working;
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** One worker drains the ready list in batches, so a file is never processed twice at once. */
  private kick(): void {
    if (this.working) return;
    this.working = this.drain().finally(() => {
      this.working = null;
      if (this.ready.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    // Pipelined: the next batch is read and handed to the analysis worker before this one is stored, so the
    // worker tags while the main thread writes.
    const start = async () => {
      const batch = this.ready.splice(0, BATCH);
      const loaded = await Promise.all(batch.map((job) => this.load(job.facts)));
      return { batch, prepared: Promise.all(loaded.map((l) => this.finish(l))) };
    };
    let current = this.ready.length > 0 ? await start() : null;
    while (current) {
      const prepared = await current.prepared;
      const batch = current.batch;
      current = this.ready.length > 0 ? await start() : null;
      const saves: Array<{ job: ReadyJob; item: SaveItem }> = [];
      for (const [i, p] of prepared.entries()) {
        const job = batch[i] as ReadyJob;
        if (typeof p === "string") job.resolve(p);
        else saves.push({ job, item: p });
      }
      if (saves.length > 0) await this.save(saves);
      if (!current && this.ready.length > 0) current = await start();
    }
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

  private async analyse(article: Article): Promise<Analysis> {
    const pool = this.deps.analyseAsync;
    if (!pool) return this.deps.analyse(article);
    try {
      return await pool(article);
    } catch (err) {
      // A broken worker must not stop ingest: the same analyser runs in this thread.
      this.deps.log.warn(
        { err: errorMessage(err), file: article.path },
        "analysis worker failed; analysing in-thread",
      );
      return this.deps.analyse(article);
    }
  }

  /** Read, parse and analyse one file; a string is the outcome when there is nothing to save. */
  /** Read and parse one file; a string is the outcome when there is nothing to analyse. */
  private async load(facts: FileFacts): Promise<{ article: Article; file: FileFacts } | FileOutcome> {
    if (facts.size > this.deps.maxFileBytes) {
      return this.reject(facts, "too-large", `${facts.size} bytes; the limit is ${this.deps.maxFileBytes}`);
    }
    let buf: Buffer;
    try {
      buf = await readFile(facts.path);
    } catch (err) {
      const c = errno(err);
      if (c === "ENOENT")
        return this.reject(facts, "vanished", "the file disappeared before it could be read");
      if (c === "ELOOP") return this.reject(facts, "symlink-loop", "symbolic link loop");
      return this.reject(facts, "unreadable", `${c || "error"}: ${errorMessage(err)}`);
    }
    if (buf.length !== facts.size) {
      // It changed while being read: look again once it has settled.
      return this.enqueueLater(facts.path);
    }
    const parsed = readArticle(buf, facts);
    if (isRejected(parsed)) return this.reject(facts, parsed.rejected, parsed.detail);
    return { article: parsed, file: facts };
  }

  private async finish(
    loaded: { article: Article; file: FileFacts } | FileOutcome,
  ): Promise<SaveItem | FileOutcome> {
    if (typeof loaded === "string") return loaded;
    try {
      return { ...loaded, analysis: await this.analyse(loaded.article) };
    } catch (err) {
      this.deps.log.error({ err, file: loaded.file.path }, "analysis failed");
      return this.reject(loaded.file, "unreadable", `internal error while analysing: ${errorMessage(err)}`);
    }
  }

  private async save(saves: Array<{ job: ReadyJob; item: SaveItem }>): Promise<void> {
    let outcomes: SaveOutcome[];
    try {
      outcomes = await this.deps.store.saveArticles(saves.map((s) => s.item));
    } catch (err) {
      if (saves.length > 1) {
        // Find the one that fails by saving them one at a time; the rest still land.
        for (const s of saves) await this.save([s]);
        return;
      }
      const only = saves[0] as { job: ReadyJob; item: SaveItem };
      this.deps.log.error({ err, file: only.item.file.path }, "could not store article");
      only.job.resolve(
        await this.reject(only.item.file, "unreadable", `internal error while storing: ${errorMessage(err)}`),
      );
      return;
    }
    for (const [i, outcome] of outcomes.entries()) {
      const { job, item } = saves[i] as { job: ReadyJob; item: SaveItem };
      if (outcome.kind === "new" || outcome.kind === "revised") {
        this.deps.log.info(
          { story: outcome.storyId, revision: outcome.revision, file: item.file.path },
          `stored ${outcome.kind} story`,
        );
        this.deps.onStored?.(item.article, outcome);
      } else {
        this.deps.log.debug({ story: outcome.storyId, file: item.file.path }, `file ${outcome.kind}`);
      }
      job.resolve(outcome.kind);
    }
  }

  private enqueueLater(path: string): FileOutcome {
    // Queued now, not on a later tick: `idle()` (and so a one-shot `cyberbrief ingest`) must wait for the second look.
    void this.enqueue(path);
    return "gone";
  }

  private async reject(facts: FileFacts, reason: RejectReason, detail: string): Promise<"rejected"> {
    const { fresh } = await this.deps.store.recordRejection(facts, reason, detail);
    if (fresh) {
      this.deps.log.warn({ file: facts.path, reason, detail }, "rejected article file");
      this.deps.onRejected?.(reason);
    }
    return "rejected";
  }
}

function sameFacts(rec: FileRecord | FileFacts | undefined, f: FileFacts): boolean {
  return rec !== undefined && rec.size === f.size && rec.mtimeMs === f.mtimeMs;
}
