// A temp workspace: a seeds folder holding the seed story (or the articles a test writes) and a database path,
// optionally with channels already subscribed to everything. CLI, process and integration tests start here.

import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { tempDir } from "./tmp.js";

/** The seed story shipped in seeds/ (dated 2024-03-25, titled "Australia and New Zealand have joined forces…"). */
export const SEED_STORY = join(import.meta.dirname, "../../seeds/000_ab7ccafc986ab3a2.txt");

export interface Workspace {
  dir: string;
  seeds: string;
  /** Not created: the first command that opens it does. */
  db: string;
}

/** A fresh workspace; `write` fills the seeds folder instead of the seed story. */
export function tempWorkspace(write?: (seeds: string) => void): Workspace {
  const dir = tempDir();
  const seeds = join(dir, "seeds");
  mkdirSync(seeds);
  if (write) write(seeds);
  else copyFileSync(SEED_STORY, join(seeds, "seed.txt"));
  return { dir, seeds, db: join(dir, "store.db") };
}

/** Subscribes each channel reference to `all` in the database at `db` (creating it). */
export async function subscribeAll(db: string, channels: string[], user = "U0ADMIN"): Promise<void> {
  const store = new SqliteStoryStore(db);
  try {
    for (const ref of channels) await store.subscribe(ref, "all", user);
  } finally {
    await store.close();
  }
}
