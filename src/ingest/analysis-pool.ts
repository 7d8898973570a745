// A one-thread pool for analysis: the main thread stores while the worker tags and summarises the next files.

import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Analysis, Article } from "../core/article.js";
import type { Logger } from "../log/logger.js";

export type AnalyseAsync = (article: Article) => Promise<Analysis>;

export interface AnalysisPool {
  analyse: AnalyseAsync;
  close(): Promise<void>;
}

/**
 * The worker script exists only in the built package (dist/…/analysis-worker.js); from TypeScript sources
 * (tests) there is none, and callers analyse in-thread instead.
 */
export function startAnalysisPool(opts: { overridesPath?: string; log: Logger }): AnalysisPool | null {
  const url = new URL("./analysis-worker.js", import.meta.url);
  if (!import.meta.url.endsWith(".js")) return null;
  const worker = new Worker(fileURLToPath(url), { workerData: { overridesPath: opts.overridesPath } });
  worker.unref();
  const waiting = new Map<number, { resolve: (a: Analysis) => void; reject: (e: Error) => void }>();
  let next = 0;
  let dead: Error | null = null;
  worker.on("message", (msg: { id: number; analysis?: Analysis; error?: string }) => {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.analysis) w?.resolve(msg.analysis);
    else w?.reject(new Error(msg.error ?? "analysis failed"));
  });
  const fail = (err: Error) => {
    dead = err;
    opts.log.error({ err }, "analysis worker stopped");
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (!dead && code !== 0) fail(new Error(`analysis worker exited with code ${code}`));
  });
  return {
    analyse(article) {
      if (dead) return Promise.reject(dead);
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, article });
      });
    },
    async close() {
      dead ??= new Error("analysis pool closed");
      await worker.terminate();
    },
  };
}
