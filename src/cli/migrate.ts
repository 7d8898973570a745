// `cyberbrief migrate`: creates or upgrades the store's schema, PostgreSQL's (--database-url or
// CYBERBRIEF_DATABASE_URL) or else the SQLite file's (--db), and says which versions it applied.

import type { Config } from "../config/schema.js";
import { migratePg } from "../store/pg/migrations.js";
import { openPool, redactUrl } from "../store/pg/open.js";
import { migrate } from "../store/sqlite/migrations.js";
import { openDatabase } from "../store/sqlite/open.js";

export interface MigrateReport {
  backend: "postgresql" | "sqlite";
  applied: number[];
  current: number | null;
}

/** Migrates the PostgreSQL database at `url`. */
export async function migratePostgres(url: string): Promise<MigrateReport> {
  const pool = await openPool(url, { max: 1 });
  try {
    const applied = await migratePg(pool);
    const top = await pool.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    return { backend: "postgresql", applied, current: top.rows[0]?.v ?? null };
  } finally {
    await pool.end();
  }
}

/** Migrates (creating it when missing) the SQLite database at `path`. */
export function migrateSqlite(path: string): MigrateReport {
  const db = openDatabase(path);
  try {
    const applied = migrate(db);
    const current = db.prepare("SELECT max(version) FROM schema_migrations").pluck().get() as number | null;
    return { backend: "sqlite", applied, current };
  } finally {
    db.close();
  }
}

/** One line: which versions were applied, or that the schema was up to date. */
export function migrateLine(report: MigrateReport, where: string): string {
  const name = report.backend === "postgresql" ? "PostgreSQL" : "SQLite";
  const at = `schema version ${report.current ?? 0}`;
  return report.applied.length === 0
    ? `${name} ${where}: up to date (${at}).\n`
    : `${name} ${where}: applied ${report.applied.length === 1 ? "version" : "versions"} ${report.applied.join(", ")} (now at ${at}).\n`;
}

export async function migrateCommand(
  config: Config,
  url: string | undefined,
  json: boolean,
): Promise<number> {
  const report = url ? await migratePostgres(url) : migrateSqlite(config.dbPath);
  const where = url ? redactUrl(url) : config.dbPath;
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : migrateLine(report, where));
  return 0;
}
