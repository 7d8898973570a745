// bench:ingest's side-by-side: `cyberbrief ingest` of the generated folder, cold, against the bare-SQLite floor
// (floor.ts), each in a process of its own, alternated and repeated; wall, user CPU and peak memory of each.

import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface ProcessRun {
  wallMs: number;
  /** From /usr/bin/time (Linux); null where it is missing. */
  userMs: number | null;
  sysMs: number | null;
  peakMB: number | null;
}

const TIME = "/usr/bin/time";
const CLI = join(import.meta.dirname, "../src/cli/bin.js");
const FLOOR = join(import.meta.dirname, "floor.js");

/** Runs `node args…` once, timed by /usr/bin/time when the system has it. */
export function timed(args: string[]): ProcessRun {
  const withTime = existsSync(TIME);
  const argv = withTime ? ["-f", "TIME %e %U %S %M", process.execPath, ...args] : args;
  const started = performance.now();
  const res = spawnSync(withTime ? TIME : process.execPath, argv, { encoding: "utf8" });
  const wallMs = performance.now() - started;
  if (res.status !== 0) throw new Error(`${args.join(" ")} failed (${res.status}): ${res.stderr}`);
  const line = res.stderr.split("\n").find((l) => l.startsWith("TIME "));
  const [, , user, sys, kb] = line ? line.split(" ").map(Number) : [];
  return {
    wallMs: Math.round(wallMs),
    userMs: user === undefined ? null : Math.round(user * 1000),
    sysMs: sys === undefined ? null : Math.round(sys * 1000),
    peakMB: kb === undefined ? null : Math.round(kb / 1024),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function medianRun(runs: ProcessRun[]): ProcessRun {
  const of = (f: (r: ProcessRun) => number | null) => {
    const xs = runs.map(f).filter((x): x is number => x !== null);
    return xs.length > 0 ? median(xs) : null;
  };
  return {
    wallMs: of((r) => r.wallMs) ?? 0,
    userMs: of((r) => r.userMs),
    sysMs: of((r) => r.sysMs),
    peakMB: of((r) => r.peakMB),
  };
}

/**
 * `runs` alternated pairs on fresh databases in `dir`: the floor, then `cyberbrief ingest --seeds seeds` (full
 * analysis in its worker thread, as a user runs it). Medians of each, and the ratio of the median wall times.
 */
export function ingestAgainstFloor(seeds: string, dir: string, runs: number) {
  const floor: ProcessRun[] = [];
  const ingest: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    const floorDb = join(dir, `floor-${i}.db`);
    floor.push(timed([FLOOR, seeds, floorDb]));
    const db = join(dir, `cli-${i}.db`);
    ingest.push(timed([CLI, "ingest", "--seeds", seeds, "--db", db, "--log-level", "warn"]));
    for (const f of [floorDb, db])
      for (const s of ["", "-wal", "-shm", ".lock", ".lock.json"]) rmSync(f + s, { force: true });
  }
  const f = medianRun(floor);
  const c = medianRun(ingest);
  return { runs, floor: f, ingest: c, ratio: +(c.wallMs / f.wallMs).toFixed(2) };
}
