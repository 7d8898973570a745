// Runs the reader and analyser in a worker thread, so parsing and tagging one batch overlap storing the previous.

import { parentPort, workerData } from "node:worker_threads";
import { createAnalyser, loadGazetteer } from "../analysis/index.js";
import type { PoolReply, PoolRequest } from "./analysis-pool.js";
import { isRejected, readArticle } from "./reader.js";

const analyse = createAnalyser(
  loadGazetteer({ overridesPath: (workerData as { overridesPath?: string }).overridesPath }),
);

function answer(msg: PoolRequest): PoolReply {
  if ("article" in msg) return { id: msg.id, analysis: analyse(msg.article) };
  const article = readArticle(msg.buf, msg.file);
  if (isRejected(article)) return { id: msg.id, rejected: article };
  return { id: msg.id, article, analysis: analyse(article) };
}

parentPort?.on("message", (msg: PoolRequest) => {
  try {
    parentPort?.postMessage(answer(msg));
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
