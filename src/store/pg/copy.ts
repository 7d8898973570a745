// `cyberbrief copy`: an SQLite store moved into an empty PostgreSQL database in one transaction, then verified
// count by count on both sides; any difference rolls the whole copy back. The SQLite file is opened read-only
// and read in one read transaction, so a bot still running on it cannot make the two sides disagree.

import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type pg from "pg";
import { CyberbriefError, errorMessage } from "../../core/errors.js";
import { moveTable } from "./copy-rows.js";
import { COPIERS, COPY_SQLITE_VERSION, type Copier, copiedTables } from "./copy-tables.js";
import { inTransaction, type Tx } from "./open.js";

/** One verified count: the same rows counted in SQLite and, after the copy, in PostgreSQL. */
export interface CountRow {
  label: string;
  sqlite: number;
  pg: number;
}

/** The copy wrote other counts than SQLite holds: it was rolled back. */
export class CopyMismatchError extends CyberbriefError {
  constructor(readonly counts: CountRow[]) {
    const off = counts.filter((c) => c.sqlite !== c.pg).map((c) => `${c.label} ${c.sqlite} vs ${c.pg}`);
    super(
      "copy/mismatch",
      `the copy was rolled back: counts differ after copying (SQLite vs PostgreSQL: ${off.join(", ")})`,
    );
    this.name = "CopyMismatchError";
  }
}

/** The SQLite store at `path`, read-only, checked to be a cyberbrief store at the schema version copy reads. */
export function openSqliteSource(path: string): Database.Database {
  if (!existsSync(path))
    throw new CyberbriefError(
      "copy/no-source",
      `no SQLite database at ${path}; give the store to copy with --from`,
    );
  let db: Database.Database | undefined;
  let version: number | null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    const known = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get();
    version = known
      ? (db.prepare("SELECT max(version) FROM schema_migrations").pluck().get() as number)
      : null;
  } catch (err) {
    db?.close();
    throw new CyberbriefError(
      "copy/bad-source",
      `cannot read ${path} as an SQLite database: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  const problem =
    version === null
      ? `${path} is not a cyberbrief database (it has no schema_migrations table)`
      : version < COPY_SQLITE_VERSION
        ? `${path} is at schema version ${version}; bring it to ${COPY_SQLITE_VERSION} first with \`cyberbrief migrate --db ${path}\``
        : version > COPY_SQLITE_VERSION
          ? `${path} is at schema version ${version}, newer than this copy reads (${COPY_SQLITE_VERSION}); use the cyberbrief that wrote it`
          : undefined;
  if (problem) {
    db.close();
    throw new CyberbriefError("copy/bad-source", problem);
  }
  return db;
}

/** The first table of the copy that already has rows in PostgreSQL, if any. */
async function firstFilled(tx: Tx, copiers: readonly Copier[]): Promise<string | undefined> {
  for (const table of copiedTables(copiers)) {
    const found = await tx.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (found.rowCount) return table;
  }
  return undefined;
}

/** Each identity sequence set past the highest id copied (and past ids SQLite handed out before). */
async function fixSequences(src: Database.Database, tx: Tx, copiers: readonly Copier[]): Promise<void> {
  for (const s of copiers.flatMap((c) => c.sequences)) {
    const floor = s.sqliteFloor ? Number(src.prepare(s.sqliteFloor).pluck().get() ?? 0) : 0;
    const top = await tx.query<{ n: string | number }>(
      `SELECT coalesce(max(${s.column}), 0) AS n FROM ${s.table}`,
    );
    const last = Math.max(floor, Number(top.rows[0]?.n ?? 0));
    // is_called false at 1: the next id is 1 on an empty table.
    await tx.query("SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)", [
      s.table,
      s.column,
      Math.max(last, 1),
      last > 0,
    ]);
  }
}

/** Every count check of the copiers, on both sides. */
async function countBoth(src: Database.Database, tx: Tx, copiers: readonly Copier[]): Promise<CountRow[]> {
  const rows: CountRow[] = [];
  for (const check of copiers.flatMap((c) => c.checks)) {
    const sqlite =
      typeof check.sqlite === "string"
        ? Number(src.prepare(check.sqlite).pluck().get() ?? 0)
        : check.sqlite(src);
    const got = await tx.query<{ n: string | number }>(check.pg);
    rows.push({ label: check.label, sqlite, pg: Number(got.rows[0]?.n ?? 0) });
  }
  return rows;
}

/**
 * Copies `src` into the (migrated, empty) database of `pool` and returns the verified counts. Throws a
 * CyberbriefError naming the table when PostgreSQL already has rows, and CopyMismatchError (after rolling back)
 * when a count differs. `onMoved` hears of each table once its rows are written.
 */
export async function copySqliteToPg(
  src: Database.Database,
  pool: pg.Pool,
  copiers: readonly Copier[] = COPIERS,
  onMoved: (table: string, rows: number) => void = () => {},
): Promise<CountRow[]> {
  src.exec("BEGIN");
  try {
    const counts = await inTransaction(pool, async (tx) => {
      const filled = await firstFilled(tx, copiers);
      if (filled)
        throw new CyberbriefError(
          "copy/not-empty",
          `the PostgreSQL database already has rows in ${filled}; copy fills only an empty database (a new one after \`cyberbrief migrate\`)`,
        );
      for (const copier of copiers) {
        if (copier.before) await tx.query(copier.before);
        for (const move of copier.moves) onMoved(move.table, await moveTable(src, tx, move));
        if (copier.after) await tx.query(copier.after);
        const wrote = copier.fill ? await copier.fill(src, tx) : {};
        for (const [table, rows] of Object.entries(wrote)) onMoved(table, rows);
      }
      await fixSequences(src, tx, copiers);
      const counts = await countBoth(src, tx, copiers);
      if (counts.some((c) => c.sqlite !== c.pg)) throw new CopyMismatchError(counts);
      return counts;
    });
    // Fresh statistics for the planner: without them, search at 100,000 stories picked a plan 5x slower at p50.
    await pool.query(`ANALYZE ${copiedTables(copiers).join(", ")}`);
    return counts;
  } finally {
    src.exec("COMMIT");
  }
}
