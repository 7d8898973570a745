// Moving one SQLite table's rows into PostgreSQL a batch at a time, for `cyberbrief copy`: the rows are read
// with an SQLite iterator (never a whole table in memory) and written with one multi-row INSERT per batch. Also
// the shape of a copier (copy-tables.ts): the tables it moves or fills, and the counts that verify them.

import type Database from "better-sqlite3";
import type { Tx } from "./open.js";

/** A table's rows as they move: the SQLite query (columns in the order of `columns`) and the PostgreSQL table. */
export interface TableMove {
  /** The PostgreSQL table written. */
  table: string;
  /** Its columns, in the order the SQLite query returns its values. */
  columns: readonly string[];
  /** The SQLite query that reads the rows, in a stable order. */
  select: string;
  /** Rows per INSERT (default 500); PostgreSQL takes at most 65,535 parameters per statement. */
  batch?: number;
  /**
   * Turns a batch of SQLite rows into PostgreSQL rows (default: unchanged), e.g. to add a column computed with
   * the server's help; the result's values follow `columns`.
   */
  shape?: (tx: Tx, rows: unknown[][]) => Promise<unknown[][]>;
}

/** One line of the verification table: a count read on each side (SQLite's by a query, or derived by code). */
export interface CountCheck {
  label: string;
  sqlite: string | ((src: Database.Database) => number);
  pg: string;
}

/** An identity column whose sequence must start past the copied ids; `sqliteFloor` reads ids used before. */
export interface SequenceFix {
  table: string;
  column: string;
  sqliteFloor?: string;
}

export interface Copier {
  family: string;
  moves: TableMove[];
  /** Tables filled from the moved rows (by `after` or `fill`), checked by counts like the others. */
  derived?: string[];
  /** SQLite tables its moves read through a view of another name (the outbox's `deliveries`). */
  sources?: string[];
  /** Statements run before the first move and after the last one, in the copy's transaction. */
  before?: string;
  after?: string;
  /** Fills derived tables from the source after the moves, in the copy's transaction; rows written by table. */
  fill?: (src: Database.Database, tx: Tx) => Promise<Record<string, number>>;
  checks: CountCheck[];
  sequences: SequenceFix[];
}

/** Rows of `rows` in arrays of `size`, pulled from the iterator as each is needed. */
export function* batches<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** An identifier as PostgreSQL reads it ("user" is a reserved word). */
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** One INSERT of `rows` into `table`; parameter types come from the table's columns. */
export async function insertRows(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const marks = columns.map((_, i) => {
      values.push(row[i] ?? null);
      return `$${values.length}`;
    });
    return `(${marks.join(", ")})`;
  });
  await tx.query(
    `INSERT INTO ${ident(table)} (${columns.map(ident).join(", ")}) VALUES ${tuples.join(", ")}`,
    values,
  );
}

/** Copies one table's rows from `src` into `tx`; returns how many it wrote. */
export async function moveTable(src: Database.Database, tx: Tx, move: TableMove): Promise<number> {
  const size = Math.min(move.batch ?? 500, Math.floor(65_535 / move.columns.length));
  const rows = src.prepare(move.select).raw(true).iterate() as Iterable<unknown[]>;
  let written = 0;
  for (const batch of batches(rows, size)) {
    const shaped = move.shape ? await move.shape(tx, batch) : batch;
    await insertRows(tx, move.table, move.columns, shaped);
    written += shaped.length;
  }
  return written;
}
