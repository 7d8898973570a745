// Readies one settled file to save: the size limit, the safe read, the check that it did not change, and analysis.

import type { Article } from "../core/article.js";
import { errorMessage } from "../core/errors.js";
import type { RejectReason } from "../core/reject.js";
import type { FileFacts, IngestStore, SaveItem } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import { Analysing, type AnalysingDeps } from "./analysing.js";
import type { Opened } from "./analysis-pool.js";
import { type FileAccess, type RootPath, readInside } from "./open.js";
import { isRejected, readArticle } from "./reader.js";
import type { FileOutcome } from "./scan.js";
import type { Settler } from "./settle.js";

/** What recording a rejection needs (the engine's deps). */
export interface RejectDeps {
  store: IngestStore;
  log: Logger;
  /** Called when a file is newly rejected (once per file and reason). */
  onRejected?: (reason: RejectReason) => void;
}

/** What readying a file needs (the engine's deps). */
export interface PrepareDeps extends RejectDeps, AnalysingDeps {
  maxFileBytes: number;
  /** A test's own file system; when absent the real one is used and the worker may read files itself. */
  files?: FileAccess;
}

/** A file to look at again once it settles; its outcome stands for this look's. */
export type Later = { later: Promise<FileOutcome> };
/** A file ready to save, or its outcome without a save. */
export type Prepared = SaveItem | FileOutcome | Later;
/**
 * A file read: parsed here (`article`), its bytes for the worker to parse (`buf`), or its path for the worker
 * to open, read and parse (`root`: the folder it must lie inside).
 */
type Loaded =
  | { article: Article; file: FileFacts }
  | { buf: Uint8Array; file: FileFacts }
  | { root: string; file: FileFacts };

/** Records a rejection; it is logged and reported only when it is new for this file and reason. */
export async function rejectFile(
  deps: RejectDeps,
  facts: FileFacts,
  reason: RejectReason,
  detail: string,
): Promise<"rejected"> {
  const { fresh } = await deps.store.recordRejection(facts, reason, detail);
  if (fresh) {
    deps.log.warn({ file: facts.path, reason, detail }, "rejected article file");
    deps.onRejected?.(reason);
  }
  return "rejected";
}

/** Turns a settled file into a save item or an outcome: `load` reads it, `finish` analyses what was read. */
export class Preparer {
  private readonly analysing: Analysing;

  constructor(
    private readonly deps: PrepareDeps,
    private readonly settler: Settler,
    private readonly files: FileAccess,
    private readonly roots: RootPath,
    /** Queues a file for another look (the engine's `enqueue`). */
    private readonly enqueue: (path: string, root: string) => Promise<FileOutcome>,
  ) {
    this.analysing = new Analysing(deps);
  }

  /** Read (safely) and parse one settled file; a string is the outcome when there is nothing to analyse. */
  async load(facts: FileFacts, root: string): Promise<Loaded | FileOutcome | Later> {
    if (facts.size > this.deps.maxFileBytes) {
      return rejectFile(
        this.deps,
        facts,
        "too-large",
        `${facts.size} bytes; the limit is ${this.deps.maxFileBytes}`,
      );
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
    if (isRejected(parsed)) return rejectFile(this.deps, facts, parsed.rejected, parsed.detail);
    return { article: parsed, file: facts };
  }

  /** Analyse what `load` read (or have the worker open, read and analyse it); failures become rejections. */
  async finish(loaded: Loaded | FileOutcome | Later): Promise<Prepared> {
    if (typeof loaded === "string" || "later" in loaded) return loaded;
    try {
      if ("root" in loaded) return await this.opened(loaded.file, loaded.root);
      if ("article" in loaded) return { ...loaded, analysis: await this.analysing.article(loaded.article) };
      const read = await this.analysing.file(loaded.buf, loaded.file);
      if ("rejected" in read) return rejectFile(this.deps, loaded.file, read.rejected, read.detail);
      return { ...read, file: loaded.file };
    } catch (err) {
      this.deps.log.error({ err, file: loaded.file.path }, "analysis failed");
      return rejectFile(
        this.deps,
        loaded.file,
        "unreadable",
        `internal error while analysing: ${errorMessage(err)}`,
      );
    }
  }

  /** What a safe read says about the file when it is not to be analysed now; null when it is. */
  private checkRead(
    facts: FileFacts,
    root: string,
    got:
      | Exclude<Opened, { kind: "read" }>
      | { kind: "read"; size: number; mtimeMs: number; tail: Uint8Array },
  ): Promise<FileOutcome> | Later | null {
    if (got.kind === "rejected") return rejectFile(this.deps, facts, got.reason, got.detail);
    // It changed since it settled (or while being read): look again once it has settled.
    if (got.kind === "changed" || got.size !== facts.size || got.mtimeMs !== facts.mtimeMs)
      return this.later(facts.path, root);
    if (this.settler.holdUnfinished(facts, got.tail)) return this.later(facts.path, root);
    return null;
  }

  /** A file opened, read and analysed by the worker (in this thread when the worker fails). */
  private async opened(facts: FileFacts, root: string): Promise<Prepared> {
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
    if ("rejected" in got.result) return rejectFile(this.deps, facts, got.result.rejected, got.result.detail);
    return { ...got.result, file: facts };
  }

  private later(path: string, root: string): Later {
    // Queued now, not on a later tick: `idle()` (and so a one-shot `cyberbrief ingest`) must wait for the second
    // look, and the scan that queued the first look counts the second look's outcome.
    return { later: this.enqueue(path, root) };
  }
}
