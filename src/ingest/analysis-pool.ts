// A one-thread pool for analysis: the main thread stores while the worker reads, tags and summarises the next files.

import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Analysis, Article } from "../core/article.js";
import type { Logger } from "../log/logger.js";
import type { SafeRead } from "./open.js";
import type { ReadFacts, Rejected } from "./reader.js";
import { fromWire, type WireArticle } from "./wire.js";

export type AnalyseAsync = (article: Article) => Promise<Analysis>;
/**
 * A file's bytes parsed and analysed, or why they make no article (see reader.ts readArticle). The pool's also
 * carries `open`: the same from the file's path, the worker opening and reading it too.
 */
export type ReadAndAnalyse = ((
  buf: Uint8Array,
  file: ReadFacts,
) => Promise<{ article: Article; analysis: Analysis } | Rejected>) & { open?: OpenAndAnalyse };

/** Where a file is and the most that may be read of it: the worker opens it itself (see open.ts readInside). */
export interface OpenRequest {
  path: string;
  root: string;
  maxBytes: number;
}

/**
 * A file opened, read, parsed and analysed by the worker: why it could not be read, or what was read (its size,
 * mtime and last byte, for the engine's checks against the settled facts) and the article or why it is none.
 */
export type Opened =
  | Exclude<SafeRead, { kind: "read" }>
  | {
      kind: "read";
      size: number;
      mtimeMs: number;
      /** The file's last byte (empty for an empty file): settle.ts holdUnfinished reads nothing else. */
      tail: Uint8Array;
      result: { article: Article; analysis: Analysis } | Rejected;
    };

/** Opening, reading, parsing and analysing a file off the main thread. */
export type OpenAndAnalyse = (open: OpenRequest, file: ReadFacts) => Promise<Opened>;

export interface AnalysisPool {
  analyse: AnalyseAsync;
  read: ReadAndAnalyse;
  open: OpenAndAnalyse;
  close(): Promise<void>;
}

/** What the worker is asked: an article to analyse, a file's bytes to parse first, or a file to open first. */
export type PoolRequest =
  | { id: number; article: Article }
  | { id: number; buf: Uint8Array; file: ReadFacts }
  | { id: number; open: OpenRequest; file: ReadFacts };

/** `Opened` as the worker sends it: the article without its blocks (wire.ts). */
export type WireOpened =
  | Exclude<Opened, { kind: "read" }>
  | (Omit<Extract<Opened, { kind: "read" }>, "result"> & {
      result: { article: WireArticle; analysis: Analysis } | Rejected;
    });

/** What it answers. */
export type PoolReply =
  | { id: number; analysis: Analysis; article?: WireArticle }
  | { id: number; rejected: Rejected }
  | { id: number; opened: WireOpened }
  | { id: number; error: string };

type Waiting = { resolve: (reply: PoolReply) => void; reject: (e: Error) => void };

/**
 * The worker script exists only in the built package (dist/…/analysis-worker.js); from TypeScript sources
 * (tests) there is none, and callers analyse in-thread instead.
 */
export function startAnalysisPool(opts: { overridesPath?: string; log: Logger }): AnalysisPool | null {
  const url = new URL("./analysis-worker.js", import.meta.url);
  if (!import.meta.url.endsWith(".js")) return null;
  const worker = new Worker(fileURLToPath(url), { workerData: { overridesPath: opts.overridesPath } });
  worker.unref();
  const waiting = new Map<number, Waiting>();
  let next = 0;
  let dead: Error | null = null;
  worker.on("message", (msg: PoolReply) => {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (waiting.size === 0) worker.unref();
    if ("error" in msg) w?.reject(new Error(msg.error || "analysis failed"));
    else w?.resolve(msg);
  });
  const fail = (err: Error) => {
    dead = err;
    opts.log.error({ err }, "analysis worker stopped");
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker.unref();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (!dead && code !== 0) fail(new Error(`analysis worker exited with code ${code}`));
  });
  const ask = (request: Omit<PoolRequest, "id">): Promise<PoolReply> => {
    if (dead) return Promise.reject(dead);
    const id = next++;
    return new Promise((resolve, reject) => {
      // Held while it has work: a process waiting for an answer must not exit as if there were nothing to do.
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      // The bytes are copied, not transferred: a Buffer may share its memory with others (Node's pool).
      worker.postMessage({ id, ...request });
    });
  };
  const read: ReadAndAnalyse = async (buf, file) => {
    const reply = await ask({ buf, file });
    if ("rejected" in reply) return reply.rejected;
    if (!("analysis" in reply) || !reply.article)
      throw new Error("analysis worker answered without an article");
    return { article: fromWire(reply.article), analysis: reply.analysis };
  };
  const open: OpenAndAnalyse = async (req, file) => {
    const reply = await ask({ open: req, file });
    if (!("opened" in reply)) throw new Error("analysis worker answered without the file it opened");
    const { opened } = reply;
    if (opened.kind !== "read" || "rejected" in opened.result) return opened as Opened;
    return { ...opened, result: { ...opened.result, article: fromWire(opened.result.article) } };
  };
  read.open = open;
  return {
    read,
    open,
    async analyse(article) {
      const reply = await ask({ article });
      if (!("analysis" in reply)) throw new Error("analysis worker answered without an analysis");
      return reply.analysis;
    },
    async close() {
      dead ??= new Error("analysis pool closed");
      await worker.terminate();
    },
  };
}
