// Scripted time for ingest tests: a clock that only the engine's sleeps (and the test) move; no real waiting.

import type { Sleep } from "../../src/ingest/settle.js";

export const START = 1_800_000_000_000;

/** Time the test owns: `at(t, run)` runs a scripted step (a write) once the engine's sleeps pass `t`. */
export function scriptedTime() {
  let now = START;
  const script: Array<{ at: number; run: () => void }> = [];
  const runDue = () => {
    script.sort((a, b) => a.at - b.at);
    while (script[0] && script[0].at <= now) script.shift()?.run();
  };
  const sleep: Sleep = async (ms) => {
    now += ms;
    runDue();
  };
  return {
    clock: { now: () => now },
    sleep,
    at: (t: number, run: () => void) => script.push({ at: START + t, run }),
    set: (t: number) => {
      now = START + t;
      runDue();
    },
    elapsed: () => now - START,
  };
}
