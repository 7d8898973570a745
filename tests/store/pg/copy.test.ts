// The copy's guards: every table of both stores is copied or named as left alone, counts that differ roll the
// whole copy back, and a source copy cannot read is refused before anything is written.

import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { CyberbriefError } from "../../../src/core/errors.js";
import { CopyMismatchError, copySqliteToPg, openSqliteSource } from "../../../src/store/pg/copy.js";
import {
  COPIERS,
  COPY_SQLITE_VERSION,
  type Copier,
  copiedTables,
  ledgerCopier,
  NOT_COPIED,
  sqliteTablesRead,
} from "../../../src/store/pg/copy-tables.js";
import { migratePg } from "../../../src/store/pg/migrations.js";
import { openPool } from "../../../src/store/pg/open.js";
import { migrate, migrations } from "../../../src/store/sqlite/migrations.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";
import { tempDir } from "../../helpers/tmp.js";
import { sqliteInstallation } from "./copy-bed.js";

const copied = new Set(copiedTables(COPIERS));

const closing: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe("copy's reach over the SQLite store", () => {
  it("reads the newest SQLite schema: a new SQLite migration needs the copiers extended", () => {
    expect(COPY_SQLITE_VERSION).toBe(Math.max(...migrations.map((m) => m.version)));
  });

  it("copies every SQLite table but its own bookkeeping and the full-text index", () => {
    const db = new Database(":memory:");
    closing.push(() => db.close());
    migrate(db);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    const own = (t: string) =>
      t === "schema_migrations" || t === "sqlite_sequence" || t.startsWith("stories_fts");
    const read = new Set(sqliteTablesRead(COPIERS));
    expect(tables.filter((t) => !own(t) && !read.has(t))).toEqual([]);
  });

  it("refuses a file that is not a cyberbrief store, or one at an older schema", () => {
    const dir = tempDir();
    const plain = new Database(join(dir, "plain.db"));
    plain.exec("CREATE TABLE t (x)");
    plain.close();
    expect(() => openSqliteSource(join(dir, "plain.db"))).toThrow(/plain\.db is not a cyberbrief database/);
    const old = new Database(join(dir, "old.db"));
    migrate(old, migrations.slice(0, 4));
    old.close();
    expect(() => openSqliteSource(join(dir, "old.db"))).toThrow(
      /old\.db is at schema version 4; bring it to \d+ first with `cyberbrief migrate --db .*old\.db`/,
    );
    expect(() => openSqliteSource(join(dir, "none.db"))).toThrow(CyberbriefError);
  });
});

describePg("copy into PostgreSQL", () => {
  it("copies every PostgreSQL table but the ones it names as left alone", async () => {
    const pool = await openPool(await freshDatabase(), { max: 1 });
    closing.push(() => pool.end());
    await migratePg(pool);
    const tables = await pool.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    const missing = tables.rows.map((r) => r.t).filter((t) => !copied.has(t) && !NOT_COPIED.includes(t));
    expect(missing).toEqual([]);
  });

  it("copies every row of every table as SQLite holds it, ids and bytes included", async () => {
    const { db } = await sqliteInstallation(tempDir());
    const pool = await openPool(await freshDatabase(), { max: 1 });
    closing.push(() => pool.end());
    await migratePg(pool);
    const src = openSqliteSource(db);
    closing.push(() => src.close());
    await copySqliteToPg(src, pool);
    // Rows compared as sorted JSON: the two databases order text differently.
    const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
    for (const move of COPIERS.flatMap((c) => c.moves)) {
      const columns = move.columns.filter((c) => c !== "search");
      const sqliteRows = src.prepare(move.select).raw(true).all() as unknown[][];
      const pgRows = await pool.query({
        text: `SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM ${move.table}`,
        rowMode: "array",
      });
      expect(sqliteRows.length, move.table).toBeGreaterThan(0);
      expect(sorted(pgRows.rows), move.table).toEqual(sorted(sqliteRows));
    }
    // The planner's statistics are gathered at once (search picks a far slower plan without them).
    const analysed = await pool.query<{ relname: string }>(
      "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL",
    );
    expect(analysed.rows.map((r) => r.relname)).toEqual(
      expect.arrayContaining(["stories", "story_tags", "files"]),
    );
  });

  it("rolls everything back when a count differs after copying", async () => {
    const { db } = await sqliteInstallation(tempDir());
    const pool = await openPool(await freshDatabase(), { max: 1 });
    closing.push(() => pool.end());
    await migratePg(pool);
    const src = openSqliteSource(db);
    closing.push(() => src.close());
    // A ledger copier that loses rows: the verification must catch it.
    const [files, ...rest] = ledgerCopier.moves;
    const lossy: Copier = {
      ...ledgerCopier,
      moves: [{ ...(files as Copier["moves"][number]), select: `${files?.select} LIMIT 1` }, ...rest],
    };
    const copiers = COPIERS.map((c) => (c === ledgerCopier ? lossy : c));
    const err = await copySqliteToPg(src, pool, copiers).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CopyMismatchError);
    const mismatch = err as CopyMismatchError;
    expect(mismatch.message).toMatch(
      /^the copy was rolled back: counts differ after copying \(SQLite vs PostgreSQL: files \d+ vs 1\)$/,
    );
    expect(mismatch.counts.filter((c) => c.sqlite !== c.pg).map((c) => c.label)).toEqual(["files"]);
    for (const table of copied) {
      const rows = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows.rows[0].n, table).toBe(0);
    }
    // The source is still readable and the same copy now succeeds.
    const counts = await copySqliteToPg(src, pool);
    expect(counts.every((c) => c.sqlite === c.pg)).toBe(true);
    expect(counts.find((c) => c.label === "stories")?.pg).toBeGreaterThan(0);
  });
});
