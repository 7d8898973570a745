// Story counts per tag kept at store time (tag_counts, migration 10) stay equal to counting story_tags rows.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnalyser, loadGazetteer } from "../../src/analysis/index.js";
import type { Analyse, Article } from "../../src/core/article.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { TAG_COUNTS_MIGRATION } from "../../src/store/sqlite/count-migrations.js";
import { migrate } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { file, openStore } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const DIR = join(import.meta.dirname, "../fixtures/events");
let analyse: Analyse;
beforeAll(() => {
  analyse = createAnalyser(loadGazetteer());
});

/** A fixture article, read as if it were the file at `path` (a revision when that path was stored before). */
function fixture(name: string, path = `/seeds/${name}`): Article {
  const a = readArticle(readFileSync(join(DIR, name)), { path, mtimeMs: 0 });
  if (isRejected(a)) throw new Error(a.detail);
  return a;
}

async function save(store: SqliteStoryStore, a: Article): Promise<void> {
  await store.saveArticle(a, analyse(a), file(a.path));
}

type Count = { kind: string; value: string; role: string; n: number };
const kept = (db: Database.Database) =>
  db
    .prepare(
      "SELECT kind, value, role, stories AS n FROM tag_counts WHERE stories != 0 ORDER BY kind, value, role",
    )
    .all() as Count[];
const counted = (db: Database.Database) =>
  db
    .prepare(
      `SELECT kind, value, role, count(*) AS n FROM story_tags WHERE shown = 1
       GROUP BY kind, value, role ORDER BY kind, value, role`,
    )
    .all() as Count[];

describe("story counts per tag", () => {
  it("equal a count over story_tags after new stories, merged copies, revisions and replaced leads", async () => {
    const store = openStore();
    const names = readdirSync(DIR).filter((n) => n.endsWith(".md"));
    // Every report (later reports of an event merge into its first one's event).
    for (const name of names) await save(store, fixture(name));
    expect(kept(store.db).length).toBeGreaterThan(10);
    expect(kept(store.db)).toEqual(counted(store.db));
    const merged = store.db
      .prepare("SELECT count(*) FROM stories WHERE event_rowid IS NOT NULL")
      .pluck()
      .get();
    expect(merged).toBeGreaterThan(0);

    // Revisions: each event's first report rewritten as another incident's text (its tags change, so which of
    // its event's later stories shows each tag is decided again), then rewritten back.
    const leads = names.filter((n) => n.endsWith("-a.md"));
    for (const [i, name] of leads.entries()) {
      const other = leads[(i + 3) % leads.length] as string;
      await save(store, fixture(other, `/seeds/${name}`));
      expect(kept(store.db)).toEqual(counted(store.db));
    }
    for (const name of leads) await save(store, fixture(name));
    expect(kept(store.db)).toEqual(counted(store.db));

    // What /cyber <tag> reports is the kept count.
    for (const c of counted(store.db).filter((r) => r.kind === "actor")) {
      const page = await store.byTag({ kind: "actor", id: c.value }, 5);
      expect(page.total).toBe(c.n);
    }
    await store.close();
  });

  it("stay exact when a batch's transaction rolls back and its files are saved again", async () => {
    const store = openStore();
    const good = fixture("e01-apt40-nz-a.md");
    const other = fixture("e02-apt40-advisory-a.md");
    // The second save of the batch fails (a title SQLite refuses), so the whole batch rolls back.
    const broken = { ...other, title: null as unknown as string };
    await expect(
      store.saveArticles([
        { article: good, analysis: analyse(good), file: file(good.path) },
        { article: broken, analysis: analyse(other), file: file(other.path) },
      ]),
    ).rejects.toThrow();
    expect(store.db.prepare("SELECT count(*) FROM stories").pluck().get()).toBe(0);
    // As the engine does after a failed batch: each file saved again on its own.
    await save(store, good);
    await save(store, other);
    expect(kept(store.db).length).toBeGreaterThan(2);
    expect(kept(store.db)).toEqual(counted(store.db));
    expect(
      store.db.prepare("SELECT count(*) FROM stories_fts WHERE stories_fts MATCH 'apt40'").pluck().get(),
    ).toBe(2);
    await store.close();
  });

  it("stay exact for a story with more tag rows than one insert takes", async () => {
    const store = openStore();
    const ids = Array.from({ length: 70 }, (_, i) => `CVE-2024-${String(1000 + i)}`);
    const text = `date 2024-05-01\n\nAPT40 exploited ${ids.join(", ")} against New Zealand's parliament.\n`;
    const a = readArticle(Buffer.from(text), { path: "/seeds/many.txt", mtimeMs: 0 });
    if (isRejected(a)) throw new Error(a.detail);
    await save(store, a);
    const cves = store.db.prepare("SELECT count(*) FROM story_tags WHERE kind = 'cve'").pluck().get();
    expect(cves).toBe(70);
    expect(kept(store.db)).toEqual(counted(store.db));
    await store.close();
  });

  it("are backfilled for a store made before them, and the migration run twice keeps them", async () => {
    const path = join(tempDir(), "old.db");
    const old = new SqliteStoryStore(path);
    for (const name of readdirSync(DIR).slice(0, 12)) await save(old, fixture(name));
    // What migration 10 made is dropped: the store as it was before, with its stories and tags.
    old.db.exec(
      `DROP TRIGGER tag_counts_update; DROP TRIGGER tag_counts_delete; DROP TABLE tag_counts;
       DELETE FROM schema_migrations WHERE version = 10`,
    );
    await old.close();

    const store = new SqliteStoryStore(path);
    expect(kept(store.db).length).toBeGreaterThan(5);
    expect(kept(store.db)).toEqual(counted(store.db));
    store.db.exec(TAG_COUNTS_MIGRATION);
    expect(kept(store.db)).toEqual(counted(store.db));
    expect(migrate(store.db)).toEqual([]);
    await store.close();
  });

  it("a read-only store on a schema before them still counts a tag's stories", async () => {
    const path = join(tempDir(), "old.db");
    const store = new SqliteStoryStore(path);
    await save(store, fixture("e01-apt40-nz-a.md"));
    store.db.exec("DROP TABLE tag_counts");
    await store.close();
    const reader = new SqliteStoryStore(path, { readonly: true });
    expect((await reader.byTag({ kind: "actor", id: "APT40" }, 5)).total).toBe(1);
    await reader.close();
  });
});
