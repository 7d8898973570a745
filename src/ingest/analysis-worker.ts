// Runs the reader and analyser in a worker thread, so parsing and tagging one batch overlap storing the previous.

import { parentPort, workerData } from "node:worker_threads";
import { createAnalyser, loadGazetteer } from "../analysis/index.js";
import type { PoolReply, PoolRequest, WireOpened } from "./analysis-pool.js";
import { RootPath, readInside, syncFileAccess } from "./open.js";
import { isRejected, type ReadFacts, readArticle } from "./reader.js";
import { toWire } from "./wire.js";

const analyse = createAnalyser(
  loadGazetteer({ overridesPath: (workerData as { overridesPath?: string }).overridesPath }),
);

const roots = new RootPath(syncFileAccess);

/** The engine's safe read (open.ts), here rather than on the main thread (which stores meanwhile), with synchronous calls. */
async function open(
  req: Extract<PoolRequest, { open: unknown }>["open"],
  file: ReadFacts,
): Promise<WireOpened> {
  const got = await readInside(req.path, req.root, req.maxBytes, syncFileAccess, roots);
  if (got.kind !== "read") return got;
  const article = readArticle(got.buf, file);
  const result = isRejected(article) ? article : { article: toWire(article), analysis: analyse(article) };
  const tail = got.buf.subarray(got.buf.length - 1);
  return { kind: "read", size: got.size, mtimeMs: got.mtimeMs, tail: Uint8Array.from(tail), result };
}

async function answer(msg: PoolRequest): Promise<PoolReply> {
  if ("article" in msg) return { id: msg.id, analysis: analyse(msg.article) };
  if ("open" in msg) return { id: msg.id, opened: await open(msg.open, msg.file) };
  const article = readArticle(msg.buf, msg.file);
  if (isRejected(article)) return { id: msg.id, rejected: article };
  return { id: msg.id, article: toWire(article), analysis: analyse(article) };
}

parentPort?.on("message", (msg: PoolRequest) => {
  answer(msg).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) =>
      parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
