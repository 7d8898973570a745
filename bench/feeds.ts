// bench:feeds: 500 fixture feeds on one local server (a child process), polled every minute on an injected clock
// through the real service, fetcher, parser, analyser and SQLite store with routing: CPU and wall time per cycle,
// the share of polls answered 304, stories and alerts (checked exactly: each new item once), and memory peaks.

import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { routeStory } from "../src/alerts/routing.js";
import { createAnalyser, loadGazetteer } from "../src/analysis/index.js";
import type { Timers } from "../src/core/clock.js";
import { PoliteFetcher } from "../src/feeds/fetch.js";
import type { PollReport } from "../src/feeds/poll-types.js";
import { FeedPoller } from "../src/feeds/poller.js";
import { startFeedService } from "../src/feeds/service.js";
import { silentLogger } from "../src/log/logger.js";
import { userAgent } from "../src/main/feeds.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import { rng } from "./corpus.js";
import { feedPath } from "./feed-docs.js";
import type { FromServer, ServerOptions, ToServer } from "./feed-server.js";
import { type Cycle, MemoryPeaks, median, printSummary, StoreCheck, startProfile } from "./feeds-report.js";

const { values: args } = parseArgs({
  options: {
    feeds: { type: "string", default: process.env.BENCH_FEEDS ?? "500" },
    cycles: { type: "string", default: process.env.BENCH_FEED_CYCLES ?? "10" },
    share: { type: "string", default: process.env.BENCH_FEED_SHARE ?? "0.05" },
    items: { type: "string", default: "20" },
    "no-gzip": { type: "boolean", default: false },
    /** Share of the feeds served without validators or 304 (always a full 200), like some servers. */
    "no-304": { type: "string", default: process.env.BENCH_FEED_NO304 ?? "0" },
    /** Write a CPU profile of the steady cycles alone (open it in Chrome DevTools or speedscope). */
    profile: { type: "string" },
  },
});
const FEEDS = Number(args.feeds);
const CYCLES = Number(args.cycles);
const SHARE = Number(args.share);
const ITEMS = Number(args.items);
const PLAIN = Math.round(FEEDS * Number(args["no-304"]));
const EVERY_MS = 60_000;
const CHANNELS = { all: "slack:T1/C1", nz: "slack:T1/C2", apt40: "discord:G1/C3" } as const;

// The bot's time: the service, the poller and the store read it; only the driver moves it (no real waiting).
let now = Math.floor(Date.now() / 1000) * 1000;
const clock = { now: () => now };
/** The service's own wake-ups never fire: the driver calls pollDue once per simulated minute. */
const inertTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

const root = mkdtempSync(join(tmpdir(), "cyberbrief-bench-feeds-"));
const serverOpts: ServerOptions = {
  feeds: FEEDS,
  items: ITEMS,
  t0: now,
  gzip: !args["no-gzip"],
  plain: PLAIN,
};
// execArgv [] so a `node --cpu-prof` of the bot does not profile the server too.
const child = fork(join(import.meta.dirname, "feed-server.js"), [JSON.stringify(serverOpts)], {
  execArgv: [],
});
/** Sends `msg` (if any) to the server and resolves with its next answer of `type`. */
const ask = <T extends FromServer["type"]>(msg: ToServer | null, type: T) =>
  new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the feed server exited (${code})`));
    const onMessage = (m: FromServer) => {
      if (m.type !== type) return;
      child.off("message", onMessage).off("exit", onExit);
      resolve(m as Extract<FromServer, { type: T }>);
    };
    child.on("message", onMessage).once("exit", onExit);
    if (msg) child.send(msg);
  });

const store = new SqliteStoryStore(join(root, "feeds.db"), { clock });
const fetcher = new PoliteFetcher({ userAgent: userAgent(), hostSpacingMs: 0, clock });
try {
  const ready = await ask(null, "ready");
  const base = `http://127.0.0.1:${ready.port}`;
  const analyse = createAnalyser(loadGazetteer());
  await store.subscribe(CHANNELS.all, "all", "bench");
  await store.subscribe(CHANNELS.nz, "country:NZ", "bench");
  await store.subscribe(CHANNELS.apt40, "actor:APT40", "bench");
  /** The ids of the feeds served without 304 support. */
  const plainIds = new Set<number>();
  for (let f = 0; f < FEEDS; f++) {
    const { feed } = await store.addFeed(
      { url: `${base}${feedPath(f)}`, name: null, everyMs: EVERY_MS, fullText: false },
      "cli",
      "cli",
    );
    if (f < PLAIN) plainIds.add(feed.id);
  }
  const poller = new FeedPoller({
    feeds: store,
    store: {
      fileRecords: (keys) => store.fileRecords(keys),
      saveArticles: (items) => store.saveArticles(items, { onSaved: routeStory }),
    },
    fetcher,
    analyse: async (article) => analyse(article),
    log: silentLogger(),
    clock,
    random: rng(13),
  });
  const service = startFeedService({ feeds: store, poller, clock, timers: inertTimers, log: silentLogger() });
  const check = new StoreCheck(store.db, CHANNELS.all);
  const memory = new MemoryPeaks();
  const pick = rng(42);
  const publishing = Math.round(FEEDS * SHARE);

  const cycle = async (index: number): Promise<Cycle> => {
    let published: Array<{ canonical: string }> = [];
    /** Feeds that must answer 200: those that published, and those that never answer 304. */
    let changed = FEEDS;
    if (index > 0) {
      now += EVERY_MS;
      // A few feeds publish one item half a minute before the poll (after the feeds were added: it is alerted).
      const chosen = [...Array(FEEDS).keys()]
        .map((f) => ({ f, k: pick() }))
        .sort((a, b) => a.k - b.k)
        .slice(0, publishing)
        .map((x) => x.f);
      published = (await ask({ type: "publish", feeds: chosen, at: now - 30_000 }, "published")).items;
      changed = new Set([...chosen.filter((f) => f >= PLAIN), ...Array(PLAIN).keys()]).size;
    }
    memory.sample();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const reports: PollReport[] = await service.pollDue();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    memory.sample();
    const count = (r: PollReport["result"]) => reports.filter((p) => p.result === r).length;
    const sum = (k: "new" | "revised" | "duplicate" | "quiet") => reports.reduce((n, p) => n + p[k], 0);
    const counts = {
      polls: reports.length,
      conditionalPolls: reports.filter((p) => !plainIds.has(p.feedId)).length,
      ok: count("ok"),
      notModified: count("not-modified"),
      failed: count("failed"),
      errors: [...new Set(reports.flatMap((p) => (p.error ? [p.error] : [])))].slice(0, 3),
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs,
      stored: sum("new"),
      quiet: sum("quiet"),
      revised: sum("revised"),
      duplicate: sum("duplicate"),
    };
    const first = index === 0;
    const expected = {
      polls: FEEDS,
      ok: changed,
      stored: first ? FEEDS * ITEMS : published.length,
      quiet: first ? FEEDS * ITEMS : 0,
      published,
    };
    const checked = check.after(counts, expected);
    return { index, ...counts, ...checked, problems: [...counts.errors, ...checked.problems] };
  };

  const stopSampling = memory.every(25);
  const baseline = await cycle(0);
  const steady: Cycle[] = [];
  const profiler = args.profile ? await startProfile() : null;
  for (let i = 1; i <= CYCLES; i++) steady.push(await cycle(i));
  if (profiler && args.profile) await profiler.stop(args.profile);
  stopSampling();
  await service.stop();

  const { type: _, ...server } = await ask({ type: "stats" }, "stats");
  const polls = steady.reduce((n, c) => n + c.conditionalPolls, 0);
  const share304 = polls === 0 ? 0 : steady.reduce((n, c) => n + c.notModified, 0) / polls;
  const cpuMedian = median(steady.map((c) => c.cpuMs));
  const problems = [baseline, ...steady].flatMap((c) => c.problems.map((p) => `cycle ${c.index}: ${p}`));
  const round = (x: number, d = 1) => +x.toFixed(d);
  const result = {
    bench: "feeds",
    feeds: FEEDS,
    itemsPerFeed: ITEMS,
    steadyCycles: CYCLES,
    publishingPerCycle: publishing,
    feedsWithout304: PLAIN,
    hostSpacingMs: 0,
    oneHost: true,
    gzip: serverOpts.gzip,
    feedMB: round(ready.bytes / 1e6, 2),
    baseline: {
      cpuMs: Math.round(baseline.cpuMs),
      wallMs: Math.round(baseline.wallMs),
      stored: baseline.stored,
      alerts: baseline.alerts,
    },
    steady: {
      cpuMsMedian: round(cpuMedian),
      cpuMsMean: round(steady.reduce((n, c) => n + c.cpuMs, 0) / Math.max(1, steady.length)),
      cpuMsPerPoll: round(cpuMedian / FEEDS, 3),
      wallMsMedian: round(median(steady.map((c) => c.wallMs))),
      share304: round(share304, 4),
      stored: steady.reduce((n, c) => n + c.stored, 0),
      alerts: steady.reduce((n, c) => n + c.alerts, 0),
    },
    alertsByChannel: check.alertsByChannel(),
    server,
    memory: { peakRssMB: memory.rssMB(), peakHeapUsedMB: memory.heapMB(), maxRssMB: memory.maxRssMB() },
    correct: problems.length === 0,
    problems: problems.slice(0, 10),
    cycles: [baseline, ...steady].map(({ problems: _p, errors: _e, ...c }) => ({
      ...c,
      cpuMs: round(c.cpuMs),
      wallMs: round(c.wallMs),
    })),
    machine: { cores: cpus().length, node: process.version },
  };
  printSummary(result, [baseline, ...steady]);
  console.log(`BENCH ${JSON.stringify(result)}`);
  if (problems.length > 0) process.exitCode = 1;
} finally {
  await fetcher.close();
  await store.close();
  child.disconnect();
  rmSync(root, { recursive: true, force: true });
}
