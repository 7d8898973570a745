// A real ingest engine (the shipped gazetteer's analyser, a silent log) on a fresh temp seeds folder and store.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createAnalyser, loadGazetteer } from "../../src/analysis/index.js";
import { type IngestDeps, IngestEngine } from "../../src/ingest/engine.js";
import { silentLogger } from "../../src/log/logger.js";
import { type SqliteStoreOptions, SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { tempDir } from "./tmp.js";

/** The shipped gazetteer, loaded once per test file. */
export const gazetteer = loadGazetteer();
export const analyse = createAnalyser(gazetteer);

export interface IngestBed {
  dir: string;
  seeds: string;
  db: string;
  store: SqliteStoryStore;
  engine: IngestEngine;
}

/** Engine settings default to settleMs 0 and 1 MB files; `storeOptions` open the store. */
export function ingestBed(
  deps: Partial<Omit<IngestDeps, "store" | "seedsDir">> = {},
  storeOptions: SqliteStoreOptions = {},
): IngestBed {
  const dir = tempDir();
  const seeds = join(dir, "seeds");
  mkdirSync(seeds);
  const db = join(dir, "db.sqlite");
  const store = new SqliteStoryStore(db, storeOptions);
  const engine = new IngestEngine({
    analyse,
    log: silentLogger(),
    settleMs: 0,
    maxFileBytes: 1e6,
    ...deps,
    store,
    seedsDir: seeds,
  });
  return { dir, seeds, db, store, engine };
}
