// `cyberbrief copy` at scale: an SQLite store of N synthetic stories (default 100,000; with revisions, tag rows,
// full-text rows, sketch keys and one delivery each) copied into a new PostgreSQL database. Reports wall time,
// this process's CPU time and its peak resident memory (the copy streams, so memory must not grow with N).
//
//   npm run build:tools && CYBERBRIEF_DATABASE_URL=postgres://... node dist/bench/pg-copy.js [stories]
//
// The URL names a server this user may create databases on; the bench makes one and drops it afterwards.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { copySqliteToPg, openSqliteSource } from "../src/store/pg/copy.js";
import { migratePg } from "../src/store/pg/migrations.js";
import { openPool } from "../src/store/pg/open.js";
import { migrate } from "../src/store/sqlite/migrations.js";

const N = Number(process.argv[2] ?? 100_000);
const server = process.env.CYBERBRIEF_DATABASE_URL;
if (!server) {
  process.stderr.write(
    "set CYBERBRIEF_DATABASE_URL to a PostgreSQL server this user may create databases on\n",
  );
  process.exit(2);
}

const WORDS =
  "breach ministry hackers phishing espionage telecom wiper ransomware exploit vulnerability router campaign sponsored state intrusion network officials agency data stolen servers malware backdoor credential supply chain".split(
    " ",
  );
let seed = 7;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const text = (words: number) => Array.from({ length: words }, () => WORDS[rand(WORDS.length)]).join(" ");

function fill(path: string): void {
  const db = new Database(path);
  migrate(db);
  const story =
    db.prepare(`INSERT INTO stories (rowid, id, path, content_hash, revision, date, title, body, summary,
    ingested_at, updated_at, tags_json, event_rowid, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const fts = db.prepare("INSERT INTO stories_fts (rowid, title, body) VALUES (?, ?, ?)");
  const revision =
    db.prepare(`INSERT INTO story_revisions (story_rowid, revision, content_hash, title, body, summary,
    saved_at) VALUES (?, 1, ?, ?, ?, '', '2026-01-01T00:00:00Z')`);
  const tag = db.prepare(
    `INSERT OR IGNORE INTO story_tags (story_rowid, kind, value, role, date) VALUES (?, ?, ?, ?, ?)`,
  );
  const delivery = db.prepare(`INSERT INTO deliveries (story_rowid, channel_ref, platform, tags, status,
    next_attempt_at, created_at) VALUES (?, 'slack:T1/C1', 'slack', 'actor:APT40', 'sent', 0, 0)`);
  db.transaction(() => {
    for (let i = 1; i <= N; i++) {
      const date = `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
      const title = text(8);
      const body = text(120);
      const revised = i % 10 === 0;
      story.run(
        i,
        `s${i}`,
        `/seeds/${i}.txt`,
        `h${i}`,
        revised ? 2 : 1,
        date,
        title,
        body,
        title,
        date,
        date,
        // The index of events is copied too: ten sketch keys a story, a first story for every fourth.
        JSON.stringify({
          actors: [{ id: `APT${i % 50}` }],
          countries: [{ code: ["NZ", "AU", "US", "CN"][i % 4], roles: ["target", "sponsor"] }],
        }),
        i % 4 === 0 ? i - 3 : null,
        Buffer.from(Uint32Array.from({ length: 10 }, (_, k) => (i * 2654435761 + k * 40503) >>> 0).buffer),
      );
      fts.run(i, title, body);
      if (revised) revision.run(i, `h${i}-1`, title, text(100));
      tag.run(i, "actor", `APT${i % 50}`, "", date);
      tag.run(i, "country", ["NZ", "AU", "US", "CN"][i % 4], "target", date);
      tag.run(i, "sector", "government", "", date);
      delivery.run(i);
    }
  })();
  db.exec(`DELETE FROM tag_counts; INSERT INTO tag_counts (kind, value, role, stories)
    SELECT kind, value, role, count(*) FROM story_tags WHERE shown = 1 GROUP BY kind, value, role;`);
  db.close();
}

const dir = mkdtempSync(join(tmpdir(), "cyberbrief-pg-copy-"));
const name = `cb_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
try {
  const file = join(dir, "store.db");
  const t0 = performance.now();
  fill(file);
  const filled = performance.now() - t0;
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(server);
  target.pathname = `/${name}`;
  const pool = await openPool(target.toString(), { max: 1 });
  try {
    await migratePg(pool);
    const src = openSqliteSource(file);
    const rssBefore = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const counts = await copySqliteToPg(src, pool);
    const wall = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    src.close();
    const peak = process.resourceUsage().maxRSS * 1024;
    const result = {
      stories: N,
      fillSeconds: +(filled / 1000).toFixed(1),
      copySeconds: +(wall / 1000).toFixed(1),
      copyCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      rssBeforeMb: Math.round(rssBefore / 2 ** 20),
      peakRssMb: Math.round(peak / 2 ** 20),
      counts: Object.fromEntries(counts.map((c) => [c.label, c.pg])),
    };
    process.stdout.write(`BENCH ${JSON.stringify(result)}\n`);
  } finally {
    await pool.end();
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
