// A temp store filled by the real ingest of the seed and the fixture articles.

import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { consoleCommand } from "../../src/chat/console/adapter.js";
import type { ChatCommand } from "../../src/chat/types.js";
import { createCommandHandler } from "../../src/commands/handler.js";
import type { Clock } from "../../src/core/clock.js";
import { publicUrlCheck } from "../../src/feeds/guard.js";
import { silentLogger } from "../../src/log/logger.js";
import { sqliteInsights } from "../../src/store/sqlite/insights.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { gazetteer, ingestBed } from "./ingest.js";
import { SEED_STORY } from "./workspace.js";

const ROOT = join(import.meta.dirname, "../..");

export { gazetteer };

/** Name lookups for tests (there is no network): these names, and no other, resolve. */
export const FAKE_DNS: Readonly<Record<string, string[]>> = {
  localhost: ["127.0.0.1", "::1"],
  "news.example": ["93.184.216.34"],
  "blog.example": ["93.184.216.35"],
  "intranet.example": ["10.1.2.3"],
};

export async function fakeDns(host: string): Promise<string[]> {
  const addresses = FAKE_DNS[host.toLowerCase()];
  if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return addresses;
}

/** The real command handler on a store, with the fake DNS for feed URLs, an optional clock and digest zone. */
export function handlerFor(store: SqliteStoryStore, clock?: Clock, zone?: string) {
  return createCommandHandler({
    store,
    subscriptions: store,
    feeds: store,
    urlCheck: publicUrlCheck(fakeDns),
    names: gazetteer,
    log: silentLogger(),
    clock,
    zone,
    insights: sqliteInsights(store),
  });
}

export async function filledStore() {
  const { dir, seeds, store, engine } = ingestBed();
  copyFileSync(SEED_STORY, join(seeds, "000_ab7ccafc986ab3a2.txt"));
  const fixtures = join(ROOT, "tests/fixtures/articles");
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(seeds, f));
  const report = await engine.scan(seeds);
  const handler = handlerFor(store);
  return { dir, seeds, store, engine, handler, report };
}

export type FilledStore = Awaited<ReturnType<typeof filledStore>>;

/**
 * For a test file: one filled store for all its tests, handed to `use` before they run and closed after them.
 * `useFilledStore((f) => ({ handler, store } = f))`
 */
export function useFilledStore(use: (filled: FilledStore) => void): void {
  let filled: FilledStore | undefined;
  beforeAll(async () => {
    filled = await filledStore();
    use(filled);
  });
  afterAll(async () => {
    await filled?.store.close();
  });
}

/** A command from some channel, with a permission answer chosen by the test. */
export function command(text: string, opts: Partial<ChatCommand> & { allowed?: boolean } = {}): ChatCommand {
  const { allowed, ...rest } = opts;
  return {
    ...consoleCommand(text),
    ...rest,
    canManageSubscriptions: async () => ({
      allowed: allowed ?? true,
      needed: "the Manage Channels permission",
    }),
  };
}
