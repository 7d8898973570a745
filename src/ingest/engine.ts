// The ingest queue: scans and watcher events feed it; each file is settled, read, analysed and stored once at a time.

import { setMaxListeners } from "node:events";
import type { Analyse, Analysis, Article } from "../core/article.js";
import { type Clock, systemClock } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import type { RejectReason } from "../core/reject.js";
import type { FileFacts, IngestStore, SaveItem, SaveOutcome, ScanReport } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import { Analysing } from "./analysing.js";
import type { Opened, ReadAndAnalyse } from "./analysis-pool.js";
import { type FileAccess, linkFacts, locate, nodeFileAccess, RootPath, readInside } from "./open.js";
import { isRejected, readArticle } from "./reader.js";
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

/**
 * The fewest files a save waits for while more are being analysed: enough that a transaction's own cost is small
 * beside its rows', few enough that the first save starts soon (storing, not analysis, is the slower side).
 */
const MIN_BATCH = 50;
/**
 * The most files saved per transaction: FTS5 writes a segment at every commit and merges them as they pile up,
 * so a cold ingest of 5,000 files in batches of 1,600 spends about half the full-text time of batches of 200.
 */
const MAX_BATCH = 1600;
/** Files read and handed to the analysis worker ahead of those being stored. */
const IN_FLIGHT = 2 * MAX_BATCH;

interface ReadyJob {
  facts: FileFacts;
  root: string;
  resolve: (outcome: FileOutcome | Promise<FileOutcome>) => void;
}

/** A file to look at again once it settles; its outcome stands for this look's. */
type Later = { later: Promise<FileOutcome> };
/**
 * A file read: parsed here (`article`), its bytes for the worker to parse (`buf`), or its path for the worker
 * to open, read and parse (`root`: the folder it must lie inside).
 */
/** A file ready to save, or its outcome without a save. */
type Prepared = SaveItem | FileOutcome | Later;
type Loaded =
  | { article: Article; file: FileFacts }
  | { buf: Uint8Array; file: FileFacts }
  | { root: string; file: FileFacts };

export class IngestEngine {
  private readonly pending = new Map<string, Promise<FileOutcome>>();
  private readonly ready: ReadyJob[] = [];
  private working: Promise<void> | null = null;
  private readonly clock: Clock;
  private readonly settler: Settler;
  private readonly files: FileAccess;
  private readonly roots: RootPath;
  private readonly analysing: Analysing;
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
    this.analysing = new Analysing(deps);
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
      return this.reject(await linkFacts(path), where.reason, where.detail);
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
      reject: (facts, reason, detail) => this.reject(facts, reason, detail),
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
    this.working = this.drain().finally(() => {
      this.working = null;
      if (this.ready.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    // Pipelined: files are handed to the analysis worker up to IN_FLIGHT ahead of the one being stored, so the
    // worker tags while the main thread writes. Each save takes every file analysed by then (in queue order,
    // MIN_BATCH at least while more are coming, MAX_BATCH at most): while storing is the slower side, the
    // batches grow by themselves and the main thread never waits for a batch it does not need whole.
    const inFlight: Array<{ job: ReadyJob; done: boolean; prepared: Promise<Prepared> }> = [];
    const fill = () => {
      for (const job of this.ready.splice(0, IN_FLIGHT - inFlight.length)) {
        const entry = {
          job,
          done: false,
          prepared: this.load(job.facts, job.root).then((l) => this.finish(l)),
        };
        const settled = () => {
          entry.done = true;
        };
        entry.prepared.then(settled, settled);
        inFlight.push(entry);
      }
    };
    fill();
    while (inFlight.length > 0) {
      // Waits for the MIN_BATCH-th file (or the last in flight), then takes every file ready before a waiting one.
      await (inFlight[Math.min(MIN_BATCH, inFlight.length) - 1] as (typeof inFlight)[number]).prepared;
      let n = 0;
      while (n < inFlight.length && n < MAX_BATCH && (inFlight[n] as (typeof inFlight)[number]).done) n++;
      const taken = inFlight.splice(0, Math.max(n, 1));
      fill();
      const saves: Array<{ job: ReadyJob; item: SaveItem }> = [];
      for (const { job, prepared } of taken) {
        const p = await prepared;
        if (typeof p === "string") job.resolve(p);
        else if ("later" in p) job.resolve(p.later);
        else saves.push({ job, item: p });
      }
      if (saves.length > 0) await this.save(saves);
      fill();
    }
  }

  /** Read (safely) and parse one settled file; a string is the outcome when there is nothing to analyse. */
  private async load(facts: FileFacts, root: string): Promise<Loaded | FileOutcome | Later> {
    if (facts.size > this.deps.maxFileBytes) {
      return this.reject(facts, "too-large", `${facts.size} bytes; the limit is ${this.deps.maxFileBytes}`);
    }
    // With the real file system the worker opens and reads the file too (the same safe read, open.ts), off this
    // thread; a test's own file system (acting out a race) is read here.
    if (this.analysing.opensFiles && this.deps.files === undefined) return { root, file: facts };
    const got = await readInside(facts.path, root, this.deps.maxFileBytes, this.files, this.roots);
    const checked = this.checkRead(facts, root, got.kind === "read" ? { ...got, tail: got.buf } : got);
    if (checked) return checked;
    if (got.kind !== "read") throw new Error("unreachable: checkRead passes only a read");
    if (this.analysing.readsFiles) return { buf: got.buf, file: facts };
    const parsed = readArticle(got.buf, facts);
    if (isRejected(parsed)) return this.reject(facts, parsed.rejected, parsed.detail);
    return { article: parsed, file: facts };
  }

  /** What a safe read says about the file when it is not to be analysed now; null when it is. */
  private checkRead(
    facts: FileFacts,
    root: string,
    got:
      | Exclude<Opened, { kind: "read" }>
      | { kind: "read"; size: number; mtimeMs: number; tail: Uint8Array },
  ): Promise<FileOutcome> | Later | null {
    if (got.kind === "rejected") return this.reject(facts, got.reason, got.detail);
    // It changed since it settled (or while being read): look again once it has settled.
    if (got.kind === "changed" || got.size !== facts.size || got.mtimeMs !== facts.mtimeMs)
      return this.later(facts.path, root);
    if (this.settler.holdUnfinished(facts, got.tail)) return this.later(facts.path, root);
    return null;
  }

  /** A file opened, read and analysed by the worker (in this thread when the worker fails). */
  private async opened(facts: FileFacts, root: string): Promise<SaveItem | FileOutcome | Later> {
    const req = { path: facts.path, root, maxBytes: this.deps.maxFileBytes };
    const got = await this.analysing.open(req, facts, async () => {
      const read = await readInside(facts.path, root, this.deps.maxFileBytes, this.files, this.roots);
      if (read.kind !== "read") return read;
      const result = await this.analysing.file(read.buf, facts);
      return { kind: "read", size: read.size, mtimeMs: read.mtimeMs, tail: read.buf, result };
    });
    const checked = this.checkRead(facts, root, got);
    if (checked) return checked;
    if (got.kind !== "read") throw new Error("unreachable: checkRead passes only a read");
    if ("rejected" in got.result) return this.reject(facts, got.result.rejected, got.result.detail);
    return { ...got.result, file: facts };
  }

  private async finish(loaded: Loaded | FileOutcome | Later): Promise<SaveItem | FileOutcome | Later> {
    if (typeof loaded === "string" || "later" in loaded) return loaded;
    try {
      if ("root" in loaded) return await this.opened(loaded.file, loaded.root);
      if ("article" in loaded) return { ...loaded, analysis: await this.analysing.article(loaded.article) };
      const read = await this.analysing.file(loaded.buf, loaded.file);
      if ("rejected" in read) return this.reject(loaded.file, read.rejected, read.detail);
      return { ...read, file: loaded.file };
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
      // Not awaited: when the rejection cannot be written either (a replica fenced off as leader), the file's
      // own outcome fails and the batch goes on; nothing of it is stored, so the next scan looks at it again.
      only.job.resolve(
        this.reject(only.item.file, "unreadable", `internal error while storing: ${errorMessage(err)}`),
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

  private later(path: string, root: string): Later {
    // Queued now, not on a later tick: `idle()` (and so a one-shot `cyberbrief ingest`) must wait for the second
    // look, and the scan that queued the first look counts the second look's outcome.
    return { later: this.enqueue(path, root) };
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
