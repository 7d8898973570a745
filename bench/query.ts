// bench:query: 100,000 generated stories, then /cyber queries end to end through the command layer (p50, p99),
// autocomplete suggestions, and the Discord escaper on a large hostile text.

import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { loadGazetteer } from "../src/analysis/index.js";
import { consoleCommand } from "../src/chat/console/adapter.js";
import { esc } from "../src/chat/discord/render.js";
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

// No feed is added here: a URL check that refuses everything keeps the bench off the network.
const handler = createCommandHandler({
  store,
  subscriptions: store,
  feeds: store,
  urlCheck: async () => "feeds are not added in this benchmark",
  names,
  log: silentLogger(),
});
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

// Autocomplete answers while the user types (Discord allows 3 s; the adapter warns above 500 ms).
const suggestTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  handler.suggest(i % 2 ? "kryp" : "country new ze", 25);
  suggestTimes.push(performance.now() - t);
}
suggestTimes.sort((a, b) => a - b);
const suggest = { p50: +pct(suggestTimes, 50).toFixed(3), p99: +pct(suggestTimes, 99).toFixed(3) };

// Escaping 300 KB of nothing but markup characters (discord.js escapeMarkdown took seconds on this).
const hostile = "*_~`|#-<>[]\n".repeat(25_000);
const escTimes = [0, 1, 2, 3, 4].map(() => {
  const t = performance.now();
  esc(hostile, 2_000_000);
  return performance.now() - t;
});
const escapeMs = +Math.min(...escTimes).toFixed(2);
await store.close();
rmSync(dir, { recursive: true, force: true });

console.log(`query: ${N} stories stored in ${(fillMs / 1000).toFixed(1)} s; ${RUNS} runs per query (ms)`);
for (const [q, r] of Object.entries(results))
  console.log(`  ${q.padEnd(38)} p50 ${r.p50.toFixed(2)}  p99 ${r.p99.toFixed(2)}   (${r.stories})`);
console.log(
  `  autocomplete (suggest)                 p50 ${suggest.p50.toFixed(2)}  p99 ${suggest.p99.toFixed(2)}`,
);
console.log(`  Discord escape, 300 KB of markup       ${escapeMs} ms (best of 5)`);
console.log("  targets: tag queries p99 < 5 ms, search p99 < 20 ms, suggest p99 < 500 ms, escape < 1,000 ms");
console.log(
  `BENCH ${JSON.stringify({ bench: "query", stories: N, runs: RUNS, fillSeconds: +(fillMs / 1000).toFixed(1), results, suggest, escapeMs, machine: { cores: cpus().length, node: process.version } })}`,
);
