// Docker cannot run here, so this proves the image's layout: production dependencies only, the built dist/src,
// data, config and seeds, and nothing else, runs `cyberbrief --help` and `cyberbrief ingest` on the seeds.

import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";

const ROOT = join(import.meta.dirname, "../..");
const NATIVE = "node_modules/better-sqlite3/build/Release/better_sqlite3.node";

describe("production layout", () => {
  it("runs with `npm ci --omit=dev` and the built files only", () => {
    const app = tempDir("cyberbrief-prod-");
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(ROOT, f), join(app, f));
    for (const d of ["dist/src", "data", "config", "seeds"])
      cpSync(join(ROOT, d), join(app, d), { recursive: true });
    // As in the Dockerfile: install without scripts (no TypeScript to build with), then provide the native module.
    // The Dockerfile compiles it with `npm rebuild`; here the one compiled for this machine by `npm ci` is copied.
    execFileSync(
      "npm",
      ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
      {
        cwd: app,
        stdio: "pipe",
        timeout: 170_000,
      },
    );
    expect(existsSync(join(app, "node_modules/typescript"))).toBe(false);
    expect(existsSync(join(app, "node_modules/vitest"))).toBe(false);
    expect(existsSync(join(app, "node_modules/world-countries"))).toBe(false); // only the gazetteer compiler uses it
    cpSync(join(ROOT, NATIVE), join(app, NATIVE));

    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    const help = execFileSync(process.execPath, ["dist/src/cli/bin.js", "--help"], {
      cwd: app,
      env,
      encoding: "utf8",
    });
    expect(help).toContain("ingest");
    const out = execFileSync(process.execPath, ["dist/src/cli/bin.js", "ingest", "--json"], {
      cwd: app,
      env,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toMatchObject({ new: 1, rejected: 0, db: join(app, "data/cyberbrief.db") });
  }, 180_000);
});
