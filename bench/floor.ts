// The bare-SQLite floor for bench:ingest: read each article file, hash it, insert it with its FTS5 row (the
// store's own tokenizer) in one transaction, with better-sqlite3 alone. Run as its own process:
// `node dist/bench/floor.js SEEDS_DIR DB_FILE`; prints one JSON line with its in-process time.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

/** Every file under `dir`, depth first, in name order (as the ingest scanner finds them). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

export function floorIngest(seeds: string, dbPath: string): { files: number; bytes: number; ms: number } {
  const started = performance.now();
  const db = new Database(dbPath);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE docs (rowid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
             title TEXT NOT NULL, body TEXT NOT NULL);
           CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='rowid',
             tokenize='porter unicode61 remove_diacritics 2');`);
  const insert = db.prepare("INSERT INTO docs (path, hash, title, body) VALUES (?, ?, ?, ?)");
  const fts = db.prepare("INSERT INTO docs_fts (rowid, title, body) VALUES (?, ?, ?)");
  let files = 0;
  let bytes = 0;
  db.transaction(() => {
    for (const path of filesUnder(seeds)) {
      const buf = readFileSync(path);
      const hash = createHash("sha256").update(buf).digest("hex");
      const text = buf.toString("utf8");
      const cut = text.indexOf("\n");
      const title = cut < 0 ? text : text.slice(0, cut);
      const info = insert.run(path, hash, title, text);
      fts.run(info.lastInsertRowid, title, text);
      files++;
      bytes += buf.length;
    }
  })();
  db.close();
  return { files, bytes, ms: performance.now() - started };
}

if (process.argv[1]?.endsWith("floor.js") && process.argv[2] && process.argv[3]) {
  console.log(JSON.stringify(floorIngest(process.argv[2], process.argv[3])));
}
