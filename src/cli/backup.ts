// `cyberbrief backup FILE`: a consistent copy of the database, with a clear line for each way it can fail.

import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../config/schema.js";
import { CyberbriefError, errorMessage } from "../core/errors.js";
import { backupDatabase } from "../store/sqlite/backup.js";
import { requireDatabase } from "./options.js";

export async function backupCommand(config: Config, file: string): Promise<number> {
  if (config.databaseUrl) {
    // PostgreSQL's own tool takes a consistent copy of a live database; this command copies SQLite files.
    throw new CyberbriefError(
      "backup/postgres",
      "backup copies a SQLite file; the store is PostgreSQL here: use pg_dump (e.g. pg_dump -Fc -f cyberbrief.dump DATABASE_URL)",
    );
  }
  requireDatabase(config);
  const target = resolve(file);
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new CyberbriefError(
      "backup/no-folder",
      `the folder ${folder} for the copy does not exist; create it first or choose another place`,
    );
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new CyberbriefError("backup/is-folder", `${target} is a folder; give a file name for the copy`);
  }
  let pages: number;
  try {
    pages = await backupDatabase(config.dbPath, target);
  } catch (err) {
    if (err instanceof CyberbriefError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
      throw new CyberbriefError(
        "backup/not-a-database",
        `${config.dbPath} is not a cyberbrief database (${errorMessage(err)}); point --db or CYBERBRIEF_DB at the right file`,
        { cause: err },
      );
    }
    throw new CyberbriefError(
      "backup/failed",
      `cannot write the copy ${target}: ${errorMessage(err)}; check that this user may write to ${folder}`,
      { cause: err },
    );
  }
  process.stdout.write(`Backed up ${config.dbPath} to ${target} (${pages} pages).\n`);
  return 0;
}
