// The PostgreSQL server the bench:pg figures use: CYBERBRIEF_BENCH_DATABASE_URL when set, else a throwaway cluster
// started by scripts/ci/postgres.sh (Debian's PostgreSQL 15, as .ci/run uses) and stopped afterwards. Every figure
// gets a database of its own, dropped at the end.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const SCRIPT = join(import.meta.dirname, "../../scripts/ci/postgres.sh");

export interface BenchServer {
  url: string;
  /** A new empty database on the server: its URL. */
  database(): Promise<string>;
  close(): Promise<void>;
}

/** The server, or the reason there is none (one line). */
export async function benchServer(): Promise<BenchServer | string> {
  let url = process.env.CYBERBRIEF_BENCH_DATABASE_URL?.trim();
  let dir: string | undefined;
  if (!url) {
    dir = mkdtempSync(join(tmpdir(), "cyberbrief-bench-pg-"));
    const res = spawnSync("bash", [SCRIPT, "start", dir], { encoding: "utf8" });
    if (res.status !== 0)
      return `no PostgreSQL: scripts/ci/postgres.sh failed: ${res.stderr.trim().split("\n").pop()}`;
    url = res.stdout.trim().split("\n").pop() as string;
  }
  const made: string[] = [];
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const server = url;
  return {
    url: server,
    async database() {
      const name = `cb_bench_${randomBytes(5).toString("hex")}`;
      await admin(`CREATE DATABASE ${name}`);
      made.push(name);
      const u = new URL(server);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async close() {
      for (const name of made) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      if (dir) spawnSync("bash", [SCRIPT, "stop", dir], { encoding: "utf8" });
    },
  };
}
