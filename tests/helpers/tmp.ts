// Temp folders and polling for tests: no fixed sleeps.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

const made: string[] = [];

/** A fresh temp folder removed after the test. */
export function tempDir(prefix = "cyberbrief-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Poll `check` until it returns a truthy value or `ms` pass. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  ms = 5000,
  what = "condition",
): Promise<NonNullable<T>> {
  // `ms` guards against a hang; it is not a speed limit. CI runs three Node versions side by side on two cores,
  // so no wait gives up in less than 20 s (a passing condition still returns as soon as it holds).
  const deadline = Date.now() + Math.max(ms, 20_000);
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
