// A consistent copy of the live database through SQLite's online backup API (safe while the bot writes).

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { CyberbriefError } from "../../core/errors.js";

export async function backupDatabase(dbPath: string, target: string): Promise<number> {
  if (!existsSync(dbPath)) throw new CyberbriefError("backup/no-database", `no database at ${dbPath}`);
  if (resolve(dbPath) === resolve(target)) {
    throw new CyberbriefError("backup/same-file", "the backup must go to another file than the database");
  }
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const result = await db.backup(target);
    return result.totalPages;
  } finally {
    db.close();
  }
}
