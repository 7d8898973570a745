// The shared contract suite's two stores: every contract test body runs once against SQLite and once against
// PostgreSQL (on the server of tests/helpers/pg.ts; without one, its half says that it did not run).

import { join } from "node:path";
import { afterEach, describe } from "vitest";
import type { Outbox } from "../../../src/alerts/outbox.js";
import type { Clock } from "../../../src/core/clock.js";
import type { FeedStore } from "../../../src/core/feeds.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import type { SubscriptionStore } from "../../../src/store/subscriptions.js";
import type { StoryStore } from "../../../src/store/types.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";
import { tempDir } from "../../helpers/tmp.js";

/** What both stores implement: the contract the tests hold them to, with the outbox their saves route into. */
export type ContractStore = StoryStore & SubscriptionStore & FeedStore & { readonly outbox: Outbox };

export interface OpenOptions {
  clock?: Clock;
  fileExists?: (path: string) => boolean;
}

/** Opens a fresh, empty store of one kind; `reopen` opens the same database again (a restart). */
export interface Backend {
  name: "SQLite" | "PostgreSQL";
  open(opts?: OpenOptions): Promise<ContractStore & { reopen(opts?: OpenOptions): Promise<ContractStore> }>;
}

const opened: ContractStore[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

function track<T extends ContractStore>(store: T): T {
  opened.push(store);
  return store;
}

const sqlite: Backend = {
  name: "SQLite",
  async open(opts = {}) {
    const path = join(tempDir(), "s.db");
    const store = track(new SqliteStoryStore(path, opts));
    return Object.assign(store, {
      reopen: async (again: OpenOptions = opts) => track(new SqliteStoryStore(path, again)),
    });
  },
};

const postgres: Backend = {
  name: "PostgreSQL",
  async open(opts = {}) {
    const url = await freshDatabase();
    const store = track(await PgStoryStore.open(url, { ...opts, max: 4 }));
    return Object.assign(store, {
      reopen: async (again: OpenOptions = opts) => track(await PgStoryStore.open(url, { ...again, max: 4 })),
    });
  },
};

/** `body` as a suite for each store: "<name> [SQLite]" and "<name> [PostgreSQL]". */
export function contract(name: string, body: (backend: Backend) => void): void {
  describe(`${name} [SQLite]`, () => body(sqlite));
  describePg(name, () => body(postgres));
}
