// bench:pg: the PostgreSQL store's figures beside SQLite's, in one run (issue 17): `cyberbrief ingest` of 5,000
// articles into each, `/cyber apt40` and search p50/p99 at 100,000 stories (the SQLite store bench:query filled,
// moved by `cyberbrief copy`), and fan-out to 10,000 channels with one and with three replicas (pg-fanout.ts).
//
//   npm run build:tools && BENCH_KEEP_DB=/path/query.db node dist/bench/pg.js
//
// Without BENCH_KEEP_DB it fills an SQLite store of BENCH_STORIES (default 100,000) first.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { loadGazetteer } from "../src/analysis/index.js";
import { consoleCommand } from "../src/chat/console/adapter.js";
import { createCommandHandler } from "../src/commands/handler.js";
import { silentLogger } from "../src/log/logger.js";
import { PgStoryStore } from "../src/store/pg/store.js";
import { fillStore } from "./fill.js";
import { timed } from "./ingest-floor.js";
import { newsArticle } from "./news.js";
import { pgFanout } from "./pg-fanout.js";
import { benchServer } from "./pg-server.js";

const CLI = join(import.meta.dirname, "../bundle/cyberbrief.js");
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 5000);
const STORIES = Number(process.env.BENCH_STORIES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const root = mkdtempSync(join(tmpdir(), "cyberbrief-bench-pg-"));

const server = await benchServer();
if (typeof server === "string") {
  console.log(`pg: not run: ${server}`);
  console.log(`BENCH ${JSON.stringify({ bench: "pg", skipped: server })}`);
  process.exit(0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

try {
  // 1. Cold ingest of the same folder, SQLite and PostgreSQL in turn, twice each.
  const seeds = join(root, "seeds");
  mkdirSync(seeds);
  for (let i = 0; i < ARTICLES; i++) {
    const dir = join(seeds, `batch-${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(dir);
    writeFileSync(join(dir, `article-${String(i).padStart(6, "0")}.txt`), newsArticle(i));
  }
  const sqliteMs: number[] = [];
  const pgMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const db = join(root, `ingest-${i}.db`);
    sqliteMs.push(timed([CLI, "ingest", "--seeds", seeds, "--db", db, "--log-level", "warn"]).wallMs);
    const url = await server.database();
    pgMs.push(timed([CLI, "ingest", "--seeds", seeds, "--database-url", url, "--log-level", "warn"]).wallMs);
  }
  const ingest = { articles: ARTICLES, sqliteMs: median(sqliteMs), pgMs: median(pgMs) };

  // 2. Queries at 100,000 stories: the SQLite store copied into PostgreSQL, then the command layer over it.
  let source = process.env.BENCH_KEEP_DB;
  if (!source || !existsSync(source)) {
    source = join(root, "query.db");
    await fillStore(source, STORIES);
  }
  const queryUrl = await server.database();
  const copyRun = timed([CLI, "copy", "--from", source, "--to", queryUrl]);
  const store = await PgStoryStore.open(queryUrl);
  const handler = createCommandHandler({
    store,
    subscriptions: store,
    feeds: store,
    urlCheck: async () => "feeds are not added in this benchmark",
    names: loadGazetteer(),
    log: silentLogger(),
  });
  const results: Record<string, { p50: number; p99: number; stories: string }> = {};
  for (const q of ["/cyber apt40", "/cyber search parliament espionage"]) {
    for (let i = 0; i < 20; i++) await handler.handle(consoleCommand(q));
    const times: number[] = [];
    let headline = "";
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      headline = (await handler.handle(consoleCommand(q))).headline;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    results[q] = { p50: +pct(times, 50).toFixed(3), p99: +pct(times, 99).toFixed(3), stories: headline };
  }
  const stats = await store.stats();
  await store.close();

  // 3. Fan-out to 10,000 channels through one elected sender, with one and with three replicas.
  const fanout = await pgFanout(server);

  console.log(`pg: PostgreSQL beside SQLite (${cpus().length} cores)`);
  console.log(
    `  cyberbrief ingest, ${ARTICLES} articles: SQLite ${ingest.sqliteMs} ms, PostgreSQL ${ingest.pgMs} ms (${(ingest.pgMs / ingest.sqliteMs).toFixed(2)}x)`,
  );
  console.log(`  copy of ${stats.stories} stories from SQLite: ${copyRun.wallMs} ms`);
  for (const [q, r] of Object.entries(results))
    console.log(`  ${q.padEnd(38)} p50 ${r.p50.toFixed(2)}  p99 ${r.p99.toFixed(2)}   (${r.stories})`);
  for (const f of fanout)
    console.log(
      `  fan-out, ${f.channels} Discord channels, ${f.replicas} replica(s): ${f.sent} sent in ${f.seconds} s = ${f.perSecond}/s (${f.percent}% of 50/s), ${f.limited} 429s`,
    );
  console.log(
    `BENCH ${JSON.stringify({ bench: "pg", ingest, copyMs: copyRun.wallMs, stories: stats.stories, results, fanout })}`,
  );
} finally {
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
