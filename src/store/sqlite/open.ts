// Opens an SQLite database file for the store (WAL, pragmas), with one clear line for each way that fails.

import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { CyberbriefError, errorMessage } from "../../core/errors.js";

/** One line for the ways opening a database fails in the field; anything else keeps SQLite's own words. */
function openProblem(path: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === "SQLITE_NOTADB")
    return `${path} is not a cyberbrief database (not an SQLite file); point --db or CYBERBRIEF_DB at the right file`;
  if (code === "SQLITE_CORRUPT")
    return `the database ${path} is damaged (${errorMessage(err)}); restore it from a backup (cyberbrief backup)`;
  if (code === "SQLITE_BUSY")
    return `the database ${path} stayed locked by another process for 5 s; try again, or stop the other process`;
  return `cannot open the database ${path}: ${errorMessage(err)} (set CYBERBRIEF_DB or --db to a writable file)`;
}

export function openDatabase(path: string, readonly = false): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path !== ":memory:" && !readonly && !existsSync(dirname(path)))
      mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly, fileMustExist: readonly });
    db.pragma("busy_timeout = 5000");
    // The first read of the file: a file that is not a database fails here, inside this try.
    db.pragma("schema_version");
    if (!readonly) {
      db.pragma("journal_mode = WAL");
      // A commit survives a crash of the process; only an OS crash can lose the last ones (docs/ingest.md).
      db.pragma("synchronous = NORMAL");
      // Checkpoints (which sync) once the WAL holds 64 MB rather than every 4 MB: a large ingest writes each
      // page it keeps changing (indexes, full-text segments) to the database once per checkpoint, not many
      // times. The WAL file is cut back to 64 MB after each; closing the store checkpoints what is left.
      db.pragma("wal_autocheckpoint = 16384");
      db.pragma("journal_size_limit = 67108864");
      // A bigger page cache keeps the FTS and tag indexes in memory during large ingests (64 MB).
      db.pragma("cache_size = -65536");
      db.pragma("temp_store = MEMORY");
      db.pragma("foreign_keys = ON");
    }
  } catch (err) {
    db?.close();
    throw new CyberbriefError("store/open", openProblem(path, err), { cause: err });
  }
  return db;
}
