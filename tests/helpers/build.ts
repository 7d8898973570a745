// Vitest global setup: compile and bundle once so CLI tests run the current code through the real `cyberbrief`
// binary (dist/bundle/cyberbrief.js, what package.json's bin and the image run).

import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");

/** Runs `tsc -p <project>`; throws with tsc's output when it reports any error. */
export function compile(project: string): void {
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", project], {
      cwd: ROOT,
      stdio: "pipe",
    });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    const detail = `${out.stdout ?? ""}${out.stderr ?? ""}`.trim() || String(err);
    // tsc still emits JavaScript on type errors: no test may run against code that does not type-check.
    throw new Error(`the build for the tests failed (tsc -p ${project}):\n${detail}`);
  }
}

/** Runs scripts/bundle.mjs (esbuild) over the compiled dist/src; throws with its output on failure. */
function bundle(): void {
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts/bundle.mjs")], { cwd: ROOT, stdio: "pipe" });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the bundle for the tests failed:\n${`${out.stdout ?? ""}${out.stderr ?? ""}`.trim()}`);
  }
}

export default function setup(): void {
  // Each vitest project runs its global setup; the main process compiles src, bench and scripts only once.
  const flag = globalThis as { cyberbriefBuilt?: boolean };
  if (flag.cyberbriefBuilt) return;
  compile(join(ROOT, "tsconfig.tools.json"));
  bundle();
  flag.cyberbriefBuilt = true;
}
