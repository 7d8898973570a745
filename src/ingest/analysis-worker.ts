// Runs the analyser in a worker thread, so tagging one batch overlaps storing the previous one.

import { parentPort, workerData } from "node:worker_threads";
import { createAnalyser, loadGazetteer } from "../analysis/index.js";
import type { Article } from "../core/article.js";

const analyse = createAnalyser(
  loadGazetteer({ overridesPath: (workerData as { overridesPath?: string }).overridesPath }),
);

parentPort?.on("message", (msg: { id: number; article: Article }) => {
  try {
    parentPort?.postMessage({ id: msg.id, analysis: analyse(msg.article) });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
