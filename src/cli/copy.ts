// `cyberbrief copy --from FILE.db --to postgres://...`: moves an SQLite store into an empty PostgreSQL database
// (migrated first), then prints the count of each table on both sides. Counts that differ roll the copy back.

import { resolve } from "node:path";
import { CopyMismatchError, type CountRow, copySqliteToPg, openSqliteSource } from "../store/pg/copy.js";
import { COPIERS } from "../store/pg/copy-tables.js";
import { migratePg } from "../store/pg/migrations.js";
import { openPool, redactUrl } from "../store/pg/open.js";

/** The counts as a table: one line per count, SQLite's and PostgreSQL's side by side. */
export function countsTable(counts: readonly CountRow[]): string {
  const head = ["table", "SQLite", "PostgreSQL", ""];
  const lines = counts.map((c) => [
    c.label,
    String(c.sqlite),
    String(c.pg),
    c.sqlite === c.pg ? "" : "DIFFERS",
  ]);
  const width = (i: number) => Math.max(...[head, ...lines].map((l) => (l[i] as string).length));
  const row = (l: string[]) =>
    `${(l[0] as string).padEnd(width(0))}  ${(l[1] as string).padStart(width(1))}  ${(l[2] as string).padStart(width(2))}  ${l[3]}`.trimEnd();
  return `${[head, ...lines].map(row).join("\n")}\n`;
}

export async function copyCommand(from: string, url: string): Promise<number> {
  const file = resolve(from);
  const src = openSqliteSource(file);
  try {
    const pool = await openPool(url, { max: 1 });
    try {
      await migratePg(pool);
      // A large store takes minutes: a terminal sees each table as it is done.
      const progress = (table: string, rows: number) => {
        if (process.stderr.isTTY) process.stderr.write(`copied ${rows} rows of ${table}\n`);
      };
      const counts = await copySqliteToPg(src, pool, COPIERS, progress);
      process.stdout.write(`Copied ${file} to ${redactUrl(url)}:\n${countsTable(counts)}`);
      process.stdout.write(`All ${counts.length} counts match.\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof CopyMismatchError)) throw err;
      process.stdout.write(countsTable(err.counts));
      process.stderr.write(`cyberbrief: ${err.message}\n`);
      return 1;
    } finally {
      await pool.end();
    }
  } finally {
    src.close();
  }
}
