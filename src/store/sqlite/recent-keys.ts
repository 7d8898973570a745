// The sketch keys of the stories stored last, in memory: copies are found among them whatever dates they carry.

import type Database from "better-sqlite3";
import { fromBytes } from "../../analysis/shingles.js";

type Sql = (text: string) => Database.Statement;

/**
 * The last `capacity` stories stored (by rowid, the order they were stored in) and their sketch keys. A copy is
 * usually stored close in time to its original, while the date it carries may be an estimate (a republished page
 * without a date gets its file's time) or far from the original's: the by-date index (event-days.ts) misses it,
 * this one does not. Loaded from the stories table at first use; what it holds may be stale (a rolled-back save),
 * so every candidate is checked against the database, as with the by-date index.
 */
export class RecentKeys {
  /** Oldest first: rowids and their keys, so the oldest can be let go. */
  private readonly order: Array<{ rowid: number; keys: readonly number[] }> = [];
  private head = 0;
  /** Sketch key → the rowids holding it, oldest first. */
  private readonly holders = new Map<number, number[]>();
  private loaded = false;

  constructor(
    private readonly sql: Sql,
    readonly capacity = 10_000,
  ) {}

  /** Stories among the recent ones sharing `keys`, with how many; keys held by more than `stop` are skipped. */
  sharing(keys: readonly number[], stop: number): Map<number, number> {
    this.load();
    const shared = new Map<number, number>();
    for (const key of keys) {
      const ids = this.holders.get(key);
      if (ids === undefined || ids.length > stop) continue;
      for (const id of ids) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    return shared;
  }

  /** A story just stored (or revised: its new keys are added, the old ones age out). */
  add(rowid: number, keys: readonly number[]): void {
    this.load();
    this.push(rowid, keys);
  }

  private push(rowid: number, keys: readonly number[]): void {
    this.order.push({ rowid, keys });
    for (const key of keys) {
      const ids = this.holders.get(key);
      if (ids) ids.push(rowid);
      else this.holders.set(key, [rowid]);
    }
    while (this.order.length - this.head > this.capacity) this.dropOldest();
  }

  private dropOldest(): void {
    const oldest = this.order[this.head] as { rowid: number; keys: readonly number[] };
    this.head++;
    for (const key of oldest.keys) {
      const ids = this.holders.get(key);
      if (!ids) continue;
      const at = ids.indexOf(oldest.rowid);
      if (at >= 0) ids.splice(at, 1);
      if (ids.length === 0) this.holders.delete(key);
    }
    // Compact now and then, so the array does not keep every story ever seen.
    if (this.head > this.capacity) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const rows = this.sql(
      "SELECT rowid, sketch FROM stories WHERE sketch IS NOT NULL ORDER BY rowid DESC LIMIT ?",
    ).all(this.capacity) as Array<{ rowid: number; sketch: Uint8Array }>;
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i] as { rowid: number; sketch: Uint8Array };
      this.push(row.rowid, [...fromBytes(row.sketch)]);
    }
  }
}
