// Locates files shipped with the package (data/, config/, seeds/) from both src/ (tests) and dist/ (built).

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The folder holding cyberbrief's package.json. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "data"))) break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot locate the cyberbrief package root");
    dir = parent;
  }
  cached = dir;
  return dir;
}

export const packagePath = (...parts: string[]): string => join(packageRoot(), ...parts);
