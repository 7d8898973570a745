// Relevance: a story without a cyber signal is stored and searchable but reaches only tag subscribers, not `all`.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { routeStory } from "../../src/alerts/routing.js";
import { createAnalyser } from "../../src/analysis/index.js";
import { createCommandHandler } from "../../src/commands/handler.js";
import { publicUrlCheck } from "../../src/feeds/guard.js";
import { silentLogger } from "../../src/log/logger.js";
import { migrate, migrations } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { articleFromMarkdown, gazetteer } from "../analysis/helpers.js";
import { command, fakeDns } from "../helpers/filled-store.js";
import { tempDir } from "../helpers/tmp.js";
import { deliveries, file, openStore } from "./fixtures.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/relevance");
const analyse = createAnalyser(gazetteer());

/** Reads a fixture, analyses it with the real analyser and saves it as ingest does (alerts routed in the save). */
async function ingest(store: SqliteStoryStore, name: string, path = join(FIXTURES, name), text?: string) {
  const article = articleFromMarkdown(text ?? readFileSync(join(FIXTURES, name), "utf8"), path);
  return store.saveArticle(article, analyse(article), file(path), { onSaved: routeStory });
}

const cyberColumn = (store: SqliteStoryStore, id: string) =>
  store.db.prepare("SELECT cyber FROM stories WHERE id = ?").pluck().get(id);

describe("relevance", () => {
  it("a Dune review is stored (cyber 0) and found by /cyber search sandworm, but not alerted to `all`", async () => {
    const store = openStore();
    await store.subscribe("slack:T1/CALL", "all", "ana");
    const review = await ingest(store, "dune-review.md");
    expect(review.kind).toBe("new");
    expect(cyberColumn(store, review.storyId)).toBe(0);
    expect(deliveries(store)).toEqual([]);
    const handler = createCommandHandler({
      store,
      subscriptions: store,
      feeds: store,
      urlCheck: publicUrlCheck(fakeDns),
      names: gazetteer(),
      log: silentLogger(),
    });
    const reply = await handler.handle(command("/cyber search sandworm"));
    expect(JSON.stringify(reply)).toContain("Dune: Part Two");
    await store.close();
  });

  it("an NZ breach-and-espionage story without an actor is cyber (1) and alerted to `all` and country:NZ", async () => {
    const store = openStore();
    await store.subscribe("slack:T1/CALL", "all", "ana");
    await store.subscribe("slack:T1/CNZ", "country:NZ", "ana");
    const nz = await ingest(store, "nz-breach.md");
    expect(cyberColumn(store, nz.storyId)).toBe(1);
    expect(deliveries(store).map((d) => [d.channel_ref, d.tags])).toEqual([
      ["slack:T1/CALL", "all"],
      ["slack:T1/CNZ", "country:NZ"],
    ]);
    await store.close();
  });

  it("tag subscriptions are unaffected: an NZ breach-of-contract story reaches country:NZ, not `all`", async () => {
    const store = openStore();
    await store.subscribe("slack:T1/CALL", "all", "ana");
    await store.subscribe("slack:T1/CNZ", "country:NZ", "ana");
    await ingest(store, "contract-dispute.md");
    expect(deliveries(store).map((d) => [d.channel_ref, d.tags])).toEqual([["slack:T1/CNZ", "country:NZ"]]);
    await store.close();
  });

  it("a revision that makes a story cyber reaches `all` subscribers then, once", async () => {
    const store = openStore();
    await store.subscribe("slack:T1/CALL", "all", "ana");
    const path = join(FIXTURES, "contract-dispute.md");
    const before = readFileSync(path, "utf8");
    const first = await ingest(store, "contract-dispute.md", path, before);
    expect(deliveries(store)).toEqual([]);
    const after = `${before}\nThe builder's email was also hit by a phishing attack, and its files were held by ransomware.\n`;
    const revised = await ingest(store, "contract-dispute.md", path, after);
    expect(revised).toMatchObject({ kind: "revised", storyId: first.storyId });
    expect(cyberColumn(store, first.storyId)).toBe(1);
    expect(deliveries(store).map((d) => [d.channel_ref, d.kind, d.tags])).toEqual([
      ["slack:T1/CALL", "alert", "all"],
    ]);
    await ingest(store, "contract-dispute.md", path, `${after}\nUpdated.\n`);
    expect(deliveries(store).filter((d) => d.kind === "alert")).toHaveLength(1);
    await store.close();
  });
});

describe("migration 5", () => {
  it("over a version-4 database keeps old stories cyber (1), so what reached `all` before still would", async () => {
    const path = join(tempDir(), "v4.db");
    const db = new Database(path);
    expect(migrate(db, migrations.slice(0, 4))).toEqual([1, 2, 3, 4]);
    db.prepare(
      `INSERT INTO stories (id, path, content_hash, date, title, body, summary, ingested_at, updated_at)
       VALUES ('abcd1234', '/seeds/a.txt', 'h1', '2024-01-01', 'Old', 'Old body.', 's', 'x', 'x')`,
    ).run();
    db.close();
    const store = new SqliteStoryStore(path);
    expect(cyberColumn(store, "abcd1234")).toBe(1);
    expect(migrate(store.db)).toEqual([]);
    await store.close();
    const again = new SqliteStoryStore(path);
    expect(cyberColumn(again, "abcd1234")).toBe(1);
    await again.close();
  });
});
