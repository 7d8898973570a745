// bench:query: 100,000 generated stories, then /cyber queries end to end through the command layer (p50, p99).

import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { loadGazetteer } from "../src/analysis/index.js";
import { consoleCommand } from "../src/chat/console/adapter.js";
import { createCommandHandler } from "../src/commands/handler.js";
import { silentLogger } from "../src/log/logger.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import { fillStore } from "./fill.js";

const N = Number(process.argv[2] ?? process.env.BENCH_STORIES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const keep = process.env.BENCH_KEEP_DB;
const dir = mkdtempSync(join(tmpdir(), "cyberbrief-bench-query-"));
const dbPath = keep ?? join(dir, "bench.db");
const fillMs = await fillStore(dbPath, N);
const names = loadGazetteer();
const store = new SqliteStoryStore(dbPath);

const handler = createCommandHandler({ store, subscriptions: store, names, log: silentLogger() });
const queries = ["/cyber apt40", "/cyber nz", "/cyber search parliament espionage", "/cyber latest"];
const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const results: Record<string, { p50: number; p99: number; stories: string }> = {};
for (const q of queries) {
  for (let i = 0; i < 20; i++) await handler.handle(consoleCommand(q));
  const times: number[] = [];
  let headline = "";
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const reply = await handler.handle(consoleCommand(q));
    times.push(performance.now() - t);
    headline = reply.headline;
  }
  times.sort((a, b) => a - b);
  results[q] = { p50: +pct(times, 50).toFixed(3), p99: +pct(times, 99).toFixed(3), stories: headline };
}
await store.close();
rmSync(dir, { recursive: true, force: true });

console.log(`query: ${N} stories stored in ${(fillMs / 1000).toFixed(1)} s; ${RUNS} runs per query (ms)`);
for (const [q, r] of Object.entries(results))
  console.log(`  ${q.padEnd(38)} p50 ${r.p50.toFixed(2)}  p99 ${r.p99.toFixed(2)}   (${r.stories})`);
console.log("  targets: tag queries p99 < 5 ms, search p99 < 20 ms");
console.log(
  `BENCH ${JSON.stringify({ bench: "query", stories: N, runs: RUNS, fillSeconds: +(fillMs / 1000).toFixed(1), results, machine: { cores: cpus().length, node: process.version } })}`,
);
