// bench:ingest: cold ingest of N synthetic articles (articles/s, MB/s), a warm re-scan with nothing new, the
// `cyberbrief ingest` process against the bare-SQLite floor (ingest-floor.ts), how long a file dropped into the
// watched folder takes to be stored, and with BENCH_GROWTH=1 the cost per article in a grown store.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance as perf } from "node:perf_hooks";
import { loadConfig } from "../src/config/load.js";
import { startIngestService } from "../src/ingest/service.js";
import { silentLogger } from "../src/log/logger.js";
import { buildCore } from "../src/main.js";
import { EventIndex } from "../src/store/sqlite/events.js";
import { syntheticArticle } from "./corpus.js";
import { ingestAgainstFloor } from "./ingest-floor.js";
import { measureGrowth } from "./ingest-growth.js";
import { freshArticle, newsArticle } from "./news.js";

const DROPS = 5;
/** Alternated pairs of (floor, cyberbrief ingest) processes; the medians are reported. */
const FLOOR_RUNS = Number(process.env.BENCH_FLOOR_RUNS ?? 3);
/** The growth step fills a store of 100,000 stories first: minutes, so only when asked (BENCH_GROWTH=1). */
const GROWTH = process.env.BENCH_GROWTH === "1";
const N = Number(process.argv[2] ?? process.env.BENCH_ARTICLES ?? 5000);
// "news" (default): distinct incidents, 15% wire copies, 15% other reports; "templated": every article shares
// most of its sentences with every other one, so nearly all merge into a few events (the worst case for events).
const CORPUS = process.env.BENCH_CORPUS === "templated" ? "templated" : "news";
const articleText = CORPUS === "news" ? newsArticle : syntheticArticle;
const root = mkdtempSync(join(tmpdir(), "cyberbrief-bench-ingest-"));
const seeds = join(root, "seeds");
mkdirSync(seeds);
let bytes = 0;
for (let i = 0; i < N; i++) {
  const text = articleText(i);
  bytes += Buffer.byteLength(text);
  const dir = join(seeds, `batch-${Math.floor(i / 500)}`);
  if (i % 500 === 0) mkdirSync(dir);
  writeFileSync(join(dir, `article-${String(i).padStart(6, "0")}.txt`), text);
}

// The event step's own time (deciding a new article's event, and indexing it), summed over the cold ingest: what
// merging costs inside the save, apart from the rest of ingest.
let eventMs = 0;
for (const name of ["decide", "record"] as const) {
  const original = EventIndex.prototype[name] as (...args: unknown[]) => unknown;
  Object.defineProperty(EventIndex.prototype, name, {
    value(this: EventIndex, ...args: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        eventMs += performance.now() - t;
      }
    },
  });
}

const config = loadConfig({ env: {}, flags: { db: join(root, "bench.db"), seeds } });
const core = await buildCore(config, silentLogger(), {
  analysisWorker: process.env.BENCH_NO_WORKER === undefined,
});
try {
  const t0 = performance.now();
  const elu0 = perf.eventLoopUtilization();
  const cpu0 = mainThreadCpuMs();
  const cold = await core.engine.scan(seeds);
  const cpu1 = mainThreadCpuMs();
  const coldEventMs = eventMs;
  const coldMs = performance.now() - t0;
  // How long the main thread (reading, storing, routing; the analysis runs in a worker) was busy: less noisy
  // than the wall time on a shared machine.
  const coldBusyMs = perf.eventLoopUtilization(elu0).active;
  const t1 = performance.now();
  const warm = await core.engine.scan(seeds);
  const warmMs = performance.now() - t1;
  // Here, not first: the files are older than the settle wait by now, for the floor and the CLI alike.
  const vsFloor = ingestAgainstFloor(seeds, root, FLOOR_RUNS);
  const dropMs = await dropToStored(core, seeds);
  const growth = GROWTH ? await measureGrowth(root) : null;
  const result = {
    bench: "ingest",
    corpus: CORPUS,
    articles: N,
    megabytes: +(bytes / 1e6).toFixed(2),
    settleMs: config.ingest.settleMs,
    coldMs: Math.round(coldMs),
    coldArticlesPerSec: Math.round((N / coldMs) * 1000),
    coldMBPerSec: +((bytes / 1e6 / coldMs) * 1000).toFixed(2),
    coldStored: cold.new,
    coldMainThreadBusyMs: Math.round(coldBusyMs),
    coldMainThreadCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
    coldEventStepMs: Math.round(coldEventMs),
    warmMs: Math.round(warmMs),
    warmUnchanged: warm.unchanged,
    warmNew: warm.new,
    dropMsMedian: dropMs,
    vsFloor,
    growth,
    targets: {
      coldArticlesPerSec: ">= 2000",
      warmMs: "< 300 for 5000 files",
      dropMsMedian: "< 2000",
      vsFloorRatio: "<= 2.5",
      growthRatio: "<= 1.2",
    },
    machine: { cores: cpus().length, node: process.version },
  };
  console.log(
    `ingest: ${N} ${CORPUS} articles, ${result.megabytes} MB (files written just before, so the ${result.settleMs} ms settle wait is included)`,
  );
  console.log(
    `  cold: ${result.coldMs} ms = ${result.coldArticlesPerSec} articles/s, ${result.coldMBPerSec} MB/s (stored ${cold.new}); main thread busy ${result.coldMainThreadBusyMs} ms, on CPU ${result.coldMainThreadCpuMs ?? "?"} ms`,
  );
  console.log(
    `  event step (deciding each new article's event and indexing it): ${result.coldEventStepMs} ms, ${Math.round((coldEventMs / coldMs) * 100)}% of the cold time`,
  );
  console.log(`  warm re-scan: ${result.warmMs} ms (${warm.unchanged} unchanged, ${warm.new} new)`);
  console.log(`  dropped file to stored (watcher): median ${dropMs} ms of ${DROPS}`);
  const proc = (r: typeof vsFloor.floor) =>
    `${r.wallMs} ms wall, ${r.userMs ?? "?"} ms user, ${r.peakMB ?? "?"} MB peak`;
  console.log(`  bare-SQLite floor (read, hash, insert with FTS5, one transaction): ${proc(vsFloor.floor)}`);
  console.log(`  cyberbrief ingest, cold, full analysis:                          ${proc(vsFloor.ingest)}`);
  console.log(`  ratio ${vsFloor.ratio}x (target <= 2.5x; medians of ${vsFloor.runs} alternated runs)`);
  if (growth)
    console.log(
      `  growth: ${growth.grown.articles} into ${growth.grown.into} stories ${growth.grown.usPerArticle} µs/article (CPU ${growth.grown.cpuUsPerArticle}) vs the first ${growth.first.articles} ${growth.first.usPerArticle} µs (CPU ${growth.first.cpuUsPerArticle}): ${growth.ratio}x (CPU ${growth.cpuRatio}x; target <= 1.2x)`,
    );
  else console.log("  growth step skipped (BENCH_GROWTH=1 runs it: fills 100,000 stories first, minutes)");
  console.log(`BENCH ${JSON.stringify(result)}`);
} finally {
  await core.close();
  rmSync(root, { recursive: true, force: true });
}

/** Median ms from writing a new file into the watched seeds folder to its story being stored (settle included). */
async function dropToStored(core: Awaited<ReturnType<typeof buildCore>>, seeds: string): Promise<number> {
  const service = startIngestService({
    engine: core.engine,
    seedsDir: seeds,
    scanCron: "0 0 1 1 *", // the watcher alone; no scheduled scan during the measurement
    watch: true,
    log: silentLogger(),
  });
  await service.ready;
  const times: number[] = [];
  try {
    for (let i = 0; i < DROPS; i++) {
      const before = (await core.store.stats()).stories;
      const started = performance.now();
      // Certain to be a new story (the stream has duplicates, which store nothing new).
      writeFileSync(
        join(seeds, `dropped-${i}.txt`),
        CORPUS === "news" ? freshArticle(N + i) : articleText(N + i),
      );
      while ((await core.store.stats()).stories === before) await new Promise((r) => setTimeout(r, 5));
      times.push(performance.now() - started);
    }
  } finally {
    await service.stop();
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] as number);
}

/**
 * CPU time of this process's main thread in ms (Linux: /proc/self/task/<pid>/stat, in clock ticks of 10 ms), or
 * null elsewhere. Unlike wall time it leaves out waiting and a shared machine's other load.
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
