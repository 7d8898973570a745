// bench:startup: time from launching `cyberbrief run` to /readyz answering 200, and its resident memory,
// on a store of N stories (100,000 by default; pass a database path to reuse one).

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fillStore } from "./fill.js";

const N = Number(process.env.BENCH_STORIES ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), "cyberbrief-bench-startup-"));
const db = process.argv[2] ?? join(dir, "bench.db");
const seeds = join(dir, "seeds");
mkdirSync(seeds);
const BIN = join(import.meta.dirname, "../bundle/cyberbrief.js");

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const rssKb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
};

if (!existsSync(db)) await fillStore(db, N);
const runs: number[] = [];
let rss = 0;
let rssAfterQueries = 0;
for (let i = 0; i < 3; i++) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, "run", "--db", db, "--seeds", seeds], {
    env: {
      PATH: process.env.PATH,
      CYBERBRIEF_HTTP_PORT: String(port),
      LOG_LEVEL: "warn",
      CYBERBRIEF_WATCH: "false",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (performance.now() - t0 > 60_000) throw new Error("not ready within 60 s");
    await new Promise((r) => setTimeout(r, 10));
  }
  runs.push(performance.now() - t0);
  if (child.pid) {
    rss = Math.max(rss, rssKb(child.pid));
    // Scrape metrics a few times, as a monitoring system would, then read memory again.
    for (let k = 0; k < 20; k++) await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    rssAfterQueries = Math.max(rssAfterQueries, rssKb(child.pid));
  }
  child.kill("SIGTERM");
  await new Promise((r) => child.on("exit", r));
}
rmSync(dir, { recursive: true, force: true });
runs.sort((a, b) => a - b);
const result = {
  bench: "startup",
  stories: N,
  readyMsMedian: Math.round(runs[1] ?? 0),
  readyMsRuns: runs.map((r) => Math.round(r)),
  rssMB: Math.round(rss / 1024),
  rssAfterScrapesMB: Math.round(rssAfterQueries / 1024),
  machine: { cores: cpus().length, node: process.version },
};
console.log(
  `startup: ${N} stories; ready in ${result.readyMsMedian} ms (median of 3); RSS ${result.rssMB} MB (${result.rssAfterScrapesMB} MB after 20 metric scrapes)`,
);
console.log(`BENCH ${JSON.stringify(result)}`);
