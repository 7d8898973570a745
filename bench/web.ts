// bench:web: 100,000 generated stories, then every web page over HTTP through the ops server (p50, p95), and
// the trend chart: PNG render time and size for 26 and 52 weeks, and `/cyber trend` end to end.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { loadGazetteer } from "../src/analysis/index.js";
import { chartFontFile, trendPng, weekStarts } from "../src/charts/index.js";
import { consoleCommand } from "../src/chat/console/adapter.js";
import { createCommandHandler } from "../src/commands/handler.js";
import { packagePath } from "../src/core/paths.js";
import { silentLogger } from "../src/log/logger.js";
import { startOpsServer } from "../src/ops/http.js";
import { Metrics } from "../src/ops/metrics.js";
import { sqliteInsights } from "../src/store/sqlite/insights.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import { webHandler } from "../src/web/server.js";
import { fillStore } from "./fill.js";

const N = Number(process.argv[2] ?? process.env.BENCH_STORIES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const TOKEN = "bench-web-token-0123456789";
const keep = process.env.BENCH_KEEP_DB;
const dir = mkdtempSync(join(tmpdir(), "cyberbrief-bench-web-"));
const dbPath = keep ?? join(dir, "bench.db");
// BENCH_KEEP_DB names a store to keep; one already there is measured again without filling it.
const fillMs = keep && existsSync(keep) ? 0 : await fillStore(dbPath, N);
const names = loadGazetteer();
const store = new SqliteStoryStore(dbPath);
const insights = sqliteInsights(store);
// A few channels, so the story pages have a delivery log to work out.
for (const [i, tag] of ["actor:APT40", "country:NZ", "sponsor:CN", "sector:government", "all"].entries())
  await store.subscribe(`slack:T1/C${i}`, tag as never, "U0BENCH");

const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    p50: +pct(sorted, 50).toFixed(2),
    p95: +pct(sorted, 95).toFixed(2),
    max: +pct(sorted, 100).toFixed(2),
  };
};

// The chart alone: rendering and size.
const font = chartFontFile(packagePath("data"));
const chart: Record<string, { p50: number; p95: number; max: number; kb: number }> = {};
for (const weeks of [26, 52]) {
  const starts = weekStarts("2026-12-02", weeks);
  const counts = starts.map((_, i) => (i * 37) % 41);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    bytes = trendPng({ subject: "Kryptonite Panda (APT40)", weeks: starts, counts }, font).png.length;
    times.push(performance.now() - t);
  }
  chart[`${weeks}w`] = { ...stats(times.slice(3)), kb: +(bytes / 1024).toFixed(1) };
}
const handler = createCommandHandler({
  store,
  subscriptions: store,
  feeds: store,
  urlCheck: async () => "no feeds here",
  names,
  log: silentLogger(),
  insights,
});
const trendTimes: number[] = [];
for (let i = 0; i < 30; i++) {
  const t = performance.now();
  await handler.handle(consoleCommand(i % 2 ? "trend apt40 52w" : "trend sponsor:cn"));
  trendTimes.push(performance.now() - t);
}

const server = await startOpsServer({
  port: 0,
  host: "127.0.0.1",
  metrics: new Metrics({ outboxDepth: async () => 0, adapters: () => [] }),
  readiness: () => ({ ready: true, checks: {} }),
  log: silentLogger(),
  web: webHandler({
    store,
    subscriptions: store,
    feeds: store,
    insights,
    names,
    token: TOKEN,
    log: silentLogger(),
  }),
});
const base = `http://127.0.0.1:${server.port}`;
const latest = await store.latest(400);
const ids = latest.stories.map((s) => s.id);
const pages: Array<[string, (i: number) => string]> = [
  ["/", () => "/"],
  ["/?page=40", () => "/?page=40"],
  ["/?q=parliament espionage", () => "/?q=parliament+espionage"],
  ["/?actor=apt40", () => "/?actor=apt40"],
  ["/?country=cn&role=sponsor&sector=government", () => "/?country=cn&role=sponsor&sector=government"],
  ["/stories/<id>", (i) => `/stories/${ids[i % ids.length]}`],
  ["/actors/apt40", () => "/actors/apt40"],
  ["/actors/apt40?weeks=52", () => "/actors/apt40?weeks=52"],
  ["/countries/cn", () => "/countries/cn"],
  ["/channels", () => "/channels"],
  ["/feeds", () => "/feeds"],
];
const headers = { authorization: `Bearer ${TOKEN}` };
const web: Record<string, { p50: number; p95: number; max: number; kb: number }> = {};
for (const [name, path] of pages) {
  for (let i = 0; i < 5; i++) await (await fetch(base + path(i), { headers })).text();
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await fetch(base + path(i), { headers });
    const body = await res.text();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    size = body.length;
  }
  web[name] = { ...stats(times), kb: +(size / 1024).toFixed(1) };
}
await server.close();
await store.close();
if (!keep) rmSync(dir, { recursive: true, force: true });

const worst = Math.max(...Object.values(web).map((r) => r.p95));
console.log(
  `web: ${N} stories${fillMs ? ` stored in ${(fillMs / 1000).toFixed(1)} s` : ""}; ${RUNS} requests per page over HTTP (ms)`,
);
for (const [name, r] of Object.entries(web))
  console.log(
    `  ${name.padEnd(46)} p50 ${r.p50.toFixed(2)}  p95 ${r.p95.toFixed(2)}  max ${r.max.toFixed(2)}  ${r.kb} KB`,
  );
for (const [name, r] of Object.entries(chart))
  console.log(`  chart PNG ${name.padEnd(36)} p50 ${r.p50.toFixed(2)}  p95 ${r.p95.toFixed(2)}  ${r.kb} KB`);
const trend = stats(trendTimes);
console.log(
  `  /cyber trend (query + PNG)                     p50 ${trend.p50.toFixed(2)}  p95 ${trend.p95.toFixed(2)}`,
);
console.log("  targets: every page p95 < 100 ms; a chart < 300 ms and < 100 KB");
console.log(
  `BENCH ${JSON.stringify({ bench: "web", stories: N, runs: RUNS, worstP95: worst, web, chart, trend, machine: { cores: cpus().length, node: process.version } })}`,
);
