// Vitest global setup: compile once so CLI tests run the current code through the real `cyberbrief` binary.

import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function setup(): void {
  const root = join(import.meta.dirname, "../..");
  try {
    execFileSync(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
      {
        cwd: root,
        stdio: "pipe",
      },
    );
  } catch (err) {
    // tsc still emits JavaScript on type errors; `npm run typecheck` is where those fail.
    process.stderr.write(
      `build for CLI tests reported type errors:\n${String((err as { stdout?: Buffer }).stdout ?? err)}\n`,
    );
  }
}
