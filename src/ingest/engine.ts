// The ingest queue: scans and watcher events feed it; each file is settled, read, analysed and stored once at a time.

import { setMaxListeners } from "node:events";
import type { Analyse, Analysis, Article } from "../core/article.js";
import { type Clock, systemClock } from "../core/clock.js";
import type { RejectReason } from "../core/reject.js";
import type { FileFacts, IngestStore, SaveOutcome, ScanReport } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { ReadAndAnalyse } from "./analysis-pool.js";
import { type FileAccess, linkFacts, locate, nodeFileAccess, RootPath } from "./open.js";
import { drain, type ReadyJob } from "./pipeline.js";
import { Preparer, rejectFile } from "./prepare.js";
import { type FileOutcome, scanPass } from "./scan.js";
import { realSleep, Settler, type Sleep } from "./settle.js";

export type { FileOutcome };

export interface IngestDeps {
  store: IngestStore;
  analyse: Analyse;
  /** The same analysis off the main thread (see analysis-pool.ts); `analyse` is the fallback. */
  analyseAsync?: (article: Article) => Promise<Analysis>;
  /** Parsing a file's bytes and analysing them off the main thread; readArticle and `analyse` are the fallback. */
  readAsync?: ReadAndAnalyse;
  log: Logger;
  /** The folder articles are read from: nothing whose real path lies outside it is ever opened. */
  seedsDir: string;
  clock?: Clock;
  /** Waits between settle checks; tests pass one driven by their clock. */
  sleep?: Sleep;
  /** The file system calls of the settle check and the safe reader (see settle.ts, open.ts). */
  files?: FileAccess;
  /** A file must keep its size and mtime at least this long before it is read (see settle.ts). */
  settleMs: number;
  maxFileBytes: number;
  /** Called after every new or revised story is stored. */
  onStored?: (article: Article, outcome: SaveOutcome) => void;
  /** Called when a file is newly rejected (once per file and reason). */
  onRejected?: (reason: RejectReason) => void;
  /** Progress of a scan with work to do: files done out of files queued. */
  onProgress?: (done: number, total: number) => void;
}

export class IngestEngine {
  private readonly pending = new Map<string, Promise<FileOutcome>>();
  private readonly ready: ReadyJob[] = [];
  private working: Promise<void> | null = null;
  private readonly clock: Clock;
  private readonly settler: Settler;
  private readonly files: FileAccess;
  private readonly roots: RootPath;
  private readonly preparer: Preparer;
  private readonly stopping = new AbortController();
  /** The folders the last scan walked (what a folder watcher watches). */
  folders: readonly string[] = [];

  constructor(private readonly deps: IngestDeps) {
    // Every file settling at once waits on this one signal (a scan of many new files): no leak, so no warning.
    setMaxListeners(0, this.stopping.signal);
    this.clock = deps.clock ?? systemClock;
    this.files = deps.files ?? nodeFileAccess;
    this.settler = new Settler(deps.settleMs, this.clock, deps.sleep ?? realSleep, this.files);
    this.roots = new RootPath(this.files, () => this.clock.now());
    this.preparer = new Preparer(deps, this.settler, this.files, this.roots, (path, root) =>
      this.enqueue(path, root),
    );
  }

  /** Queue one path; a path already waiting to be processed is not queued twice. */
  enqueue(path: string, root: string = this.deps.seedsDir): Promise<FileOutcome> {
    return this.queue(path, root, true);
  }

  /** `check`: refuse a link out of the folder before settling (the scan's walk has just checked its files). */
  private queue(path: string, root: string, check: boolean, seen?: FileFacts): Promise<FileOutcome> {
    const waiting = this.pending.get(path);
    if (waiting) return waiting;
    const job = this.look(path, root, check, seen).then((next) => {
      // Leave `pending` before running, so an event during processing queues a fresh look.
      this.pending.delete(path);
      if (typeof next === "string") return next;
      return new Promise<FileOutcome>((resolve) => {
        this.ready.push({ facts: next, root, resolve });
        this.kick();
      });
    });
    this.pending.set(path, job);
    return job;
  }

  /** A link out of the folder is refused at once (nothing about its target is waited for); else settle. */
  private async look(
    path: string,
    root: string,
    check: boolean,
    seen?: FileFacts,
  ): Promise<FileFacts | FileOutcome> {
    const where = check ? await locate(path, root, this.files, this.roots) : null;
    if (where && "kind" in where && where.reason === "outside-seeds") {
      return rejectFile(this.deps, await linkFacts(path), where.reason, where.detail);
    }
    return (await this.settler.settle(path, this.stopping.signal, seen)) ?? "gone";
  }

  /** One pass over the folder: unchanged files are skipped from the ledger, the rest are queued. */
  async scan(root: string = this.deps.seedsDir, beforeList?: (dir: string) => void): Promise<ScanReport> {
    const { report, folders } = await scanPass(root, {
      store: this.deps.store,
      log: this.deps.log,
      clock: this.clock,
      onProgress: this.deps.onProgress,
      // The walk has just taken each file's size and mtime: the settle check starts from them.
      enqueue: (facts) => this.queue(facts.path, root, false, facts),
      reject: (facts, reason, detail) => rejectFile(this.deps, facts, reason, detail),
      beforeList,
    });
    this.folders = folders;
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
    this.stopping.abort();
  }

  /** One worker drains the ready list in batches, so a file is never processed twice at once. */
  private kick(): void {
    if (this.working) return;
    this.working = drain(this.ready, this.preparer, this.deps).finally(() => {
      this.working = null;
      if (this.ready.length > 0) this.kick();
    });
  }
}
