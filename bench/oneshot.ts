// bench:oneshot: wall time of the one-shot commands (ask, status, analyze of one file) against `node -e 0`,
// measured in the same run, each the median of several runs taken in turn so machine noise hits all alike.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fillStore } from "./fill.js";
import { newsArticle } from "./news.js";

const STORIES = Number(process.env.BENCH_STORIES ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BIN = join(import.meta.dirname, "../bundle/cyberbrief.js");

const dir = mkdtempSync(join(tmpdir(), "cyberbrief-bench-oneshot-"));
const db = join(dir, "oneshot.db");
const seeds = join(dir, "seeds");
mkdirSync(seeds);
const article = join(seeds, "article.txt");
writeFileSync(article, newsArticle(7, { facts: 12, perDay: 30 }));

interface Case {
  name: string;
  args: string[];
  /** A floor measured for comparison, not a command held to the target. */
  floor?: boolean;
}

const cases: Case[] = [
  { name: "node -e 0", args: ["-e", "0"], floor: true },
  {
    name: "libraries alone",
    args: [join(import.meta.dirname, "oneshot-libs.js"), db],
    floor: true,
  },
  { name: 'ask "/cyber apt40"', args: [BIN, "ask", "/cyber apt40", "--db", db, "--seeds", seeds] },
  { name: "status", args: [BIN, "status", "--db", db, "--seeds", seeds] },
  { name: "analyze (one file)", args: [BIN, "analyze", article] },
];

/** One run's wall time in ms; a failing command stops the bench (a fast failure is not a result). */
function once(c: Case): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, c.args, {
    env: { PATH: process.env.PATH, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`${c.name} exited ${res.status}: ${res.stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

try {
  await fillStore(db, STORIES);
  for (const c of cases) once(c); // warm the file cache once
  const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < RUNS; r++) for (const c of cases) times.get(c.name)?.push(once(c));
  const floor = median(times.get("node -e 0") ?? []);
  const results = cases.map((c) => {
    const ms = median(times.get(c.name) ?? []);
    return {
      name: c.name,
      medianMs: Math.round(ms),
      ratio: Math.round((ms / floor) * 100) / 100,
      floor: c.floor === true,
    };
  });
  for (const r of results) {
    console.log(
      `${r.name.padEnd(22)} ${String(r.medianMs).padStart(6)} ms  ${r.ratio.toFixed(2)}x node -e 0`,
    );
  }
  const worst = Math.max(...results.filter((r) => !r.floor).map((r) => r.ratio));
  const result = {
    bench: "oneshot",
    stories: STORIES,
    runs: RUNS,
    nodeMs: Math.round(floor),
    results,
    worstRatio: worst,
    machine: { cores: cpus().length, node: process.version },
  };
  console.log(
    `oneshot: ${STORIES} stories, median of ${RUNS}; worst ratio ${worst.toFixed(2)}x (target ≤ 3x)`,
  );
  console.log(`BENCH ${JSON.stringify(result)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
