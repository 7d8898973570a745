// Docker cannot run here, so this proves the image's layout: production dependencies only, the bundled CLI (dist/bundle), the
// git-tracked data, config and seeds, and nothing else. It runs `cyberbrief --help` and `ingest` in it, then runs
// it the way the image does: as the image's non-root user, in a read-only app folder, with the image's ENV
// overridden by a `.env` made from .env.example and passed as `docker run --env-file` passes it.

import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/tmp.js";

const ROOT = join(import.meta.dirname, "../..");
const NATIVE = "node_modules/better-sqlite3/build/Release/better_sqlite3.node";
/** The Dockerfile's `USER node` (uid 1000); tests run as root here, elsewhere as whoever runs them. */
const IMAGE_UID = process.getuid?.() === 0 ? 1000 : (process.getuid?.() ?? 0);
const IMAGE_GID = process.getuid?.() === 0 ? 1000 : (process.getgid?.() ?? 0);

let base = "";
let app = "";

/** Tracked files only: a database or .env that `npm start` left in the working tree must not leak in. */
function copyTracked(folders: string[], to: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--", ...folders], { cwd: ROOT, encoding: "utf8" });
  for (const file of files.split("\0").filter(Boolean)) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(to, file));
  }
}

/** `docker run --env-file`: KEY=VALUE per line taken literally; blank lines and # lines skipped. */
function dockerEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

/** Sets or clears write permission on a whole tree (read and execute bits are kept). */
function writable(path: string, on: boolean): void {
  const st = statSync(path);
  chmodSync(path, on ? st.mode | 0o200 : st.mode & ~0o222);
  if (st.isDirectory()) for (const e of readdirSync(path)) writable(join(path, e), on);
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "cyberbrief-prod-"));
  chmodSync(base, 0o755); // the image's user must reach the app folder
  app = join(base, "app");
  mkdirSync(app);
  for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(ROOT, f), join(app, f));
  cpSync(join(ROOT, "dist/bundle"), join(app, "dist/bundle"), { recursive: true });
  copyTracked(["data", "config", "seeds"], app);
  // As in the Dockerfile: install without scripts (no TypeScript to build with), then provide the native module.
  // The Dockerfile compiles it with `npm rebuild`; here the one compiled for this machine by `npm ci` is copied.
  execFileSync(
    "npm",
    ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
    { cwd: app, stdio: "pipe", timeout: 170_000 },
  );
  cpSync(join(ROOT, NATIVE), join(app, NATIVE));
}, 180_000);

afterAll(() => {
  if (base && existsSync(base)) {
    writable(base, true);
    rmSync(base, { recursive: true, force: true });
  }
});

describe("production layout", () => {
  it("runs with `npm ci --omit=dev` and the bundle only; the default database is var/cyberbrief.db", () => {
    expect(existsSync(join(app, "node_modules/typescript"))).toBe(false);
    expect(existsSync(join(app, "node_modules/vitest"))).toBe(false);
    expect(existsSync(join(app, "node_modules/world-countries"))).toBe(false); // only the gazetteer compiler uses it
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    const help = execFileSync(process.execPath, ["dist/bundle/cyberbrief.js", "--help"], {
      cwd: app,
      env,
      encoding: "utf8",
    });
    expect(help).toContain("ingest");
    const out = execFileSync(process.execPath, ["dist/bundle/cyberbrief.js", "ingest", "--json"], {
      cwd: app,
      env,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toMatchObject({ new: 1, rejected: 0, db: join(app, "var/cyberbrief.db") });
    rmSync(join(app, "var"), { recursive: true });
  });

  it("runs as the image does: non-root, read-only app folder, --env-file .env copied from .env.example", async () => {
    // The image's volumes, owned by its user as the Dockerfile's chown makes them.
    const volume = join(base, "var-lib-cyberbrief");
    const seeds = join(base, "seeds");
    mkdirSync(volume);
    cpSync(join(app, "seeds"), seeds, { recursive: true });
    for (const p of [volume, seeds, ...readdirSync(seeds).map((f) => join(seeds, f))])
      chownSync(p, IMAGE_UID, IMAGE_GID);
    const imageEnv = {
      NODE_ENV: "production",
      CYBERBRIEF_DB: join(volume, "cyberbrief.db"),
      CYBERBRIEF_SEEDS_DIR: seeds,
      CYBERBRIEF_HTTP_PORT: "0",
    };
    const env = {
      PATH: process.env.PATH ?? "",
      ...imageEnv,
      ...dockerEnvFile(readFileSync(join(ROOT, ".env.example"), "utf8")),
    };
    const run = (args: string[]) =>
      spawn(process.execPath, ["dist/bundle/cyberbrief.js", ...args], {
        cwd: app,
        env,
        uid: IMAGE_UID,
        gid: IMAGE_GID,
        stdio: ["pipe", "pipe", "pipe"],
      });
    const collect = (child: ReturnType<typeof run>) => {
      const out = { stdout: "", stderr: "" };
      child.stdout?.on("data", (d) => {
        out.stdout += String(d);
      });
      child.stderr?.on("data", (d) => {
        out.stderr += String(d);
      });
      // A process that cannot start as the image's user (e.g. a Node binary it may not execute) fails at once.
      const code = new Promise<number | null>((resolve, reject) => {
        child.on("exit", (c) => resolve(c));
        child.on("error", reject);
      });
      return { out, code };
    };

    writable(app, false);
    try {
      const ingest = collect(run(["ingest", "--json"]));
      expect(await ingest.code, ingest.out.stderr).toBe(0);
      expect(JSON.parse(ingest.out.stdout)).toMatchObject({ new: 1, db: imageEnv.CYBERBRIEF_DB, seeds });

      // The image's command: `run`, until `docker stop` sends SIGTERM.
      const bot = run(["run"]);
      const botOut = collect(bot);
      await waitFor(() => botOut.out.stderr.includes("cyberbrief is running"), 15_000, "the bot to start");
      bot.kill("SIGTERM");
      expect(await botOut.code, botOut.out.stderr).toBe(0);
      expect(readdirSync(volume).sort()).toEqual(["cyberbrief.db", "cyberbrief.db.lock"]);
      expect(existsSync(join(app, "var"))).toBe(false);

      // A volume the image's user may not write to: one line that says so, not a stack trace.
      rmSync(join(volume, "cyberbrief.db.lock"));
      chmodSync(volume, 0o555);
      const refused = collect(run(["run"]));
      expect(await refused.code).toBe(2);
      expect(refused.out.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.out.stderr).toContain(`its folder must be writable by this user (uid ${IMAGE_UID})`);
    } finally {
      writable(app, true);
    }
  }, 60_000);
});
