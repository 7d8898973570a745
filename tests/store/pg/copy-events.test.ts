// The index of events moves with the stories: after `cyberbrief copy`, a story saved on PostgreSQL joins a copied
// story's event as it would have on SQLite (a wire copy by its sketch keys, a report in other words by its first
// story's tags); the rows copy writes are the ones PostgreSQL's own saves write, and their counts are verified.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createAnalyser, loadGazetteer } from "../../../src/analysis/index.js";
import type { Article } from "../../../src/core/article.js";
import { isRejected, readArticle } from "../../../src/ingest/reader.js";
import { CopyMismatchError, copySqliteToPg, openSqliteSource } from "../../../src/store/pg/copy.js";
import { eventsCopier } from "../../../src/store/pg/copy-events.js";
import { COPIERS, type Copier } from "../../../src/store/pg/copy-tables.js";
import { openPool } from "../../../src/store/pg/open.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import type { SavedStory, StoryStore } from "../../../src/store/types.js";
import { file } from "../../alerts/fixtures.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";
import { tempDir } from "../../helpers/tmp.js";

const DIR = join(import.meta.dirname, "../../fixtures/events");
const analyse = createAnalyser(loadGazetteer());

function fixture(name: string): Article {
  const path = join(DIR, `${name}.md`);
  const a = readArticle(readFileSync(path), { path, mtimeMs: 0 });
  if (isRejected(a)) throw new Error(a.detail);
  return a;
}

/** The same text as another outlet carries it. */
const wireCopy = (a: Article): Article => ({
  ...a,
  path: "/wire/copy.md",
  body: `Via the wire.\n\n${a.body}`,
  contentHash: `wire-${a.contentHash}`,
});

/** Saves `a`; returns what the store's onSaved heard. */
async function save(store: StoryStore, a: Article): Promise<SavedStory> {
  let saved: SavedStory | undefined;
  await store.saveArticle(a, analyse(a), file(a.path), { onSaved: (_tx, s) => (saved = s) });
  if (!saved) throw new Error(`${a.path} was not saved`);
  return saved;
}

const closing: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** An SQLite store with `first` saved, copied into a fresh PostgreSQL database; both stores open. */
async function copied(first: Article[]) {
  const db = join(tempDir(), "cb.db");
  const sqlite = new SqliteStoryStore(db);
  closing.push(() => sqlite.close());
  const leads: SavedStory[] = [];
  for (const a of first) leads.push(await save(sqlite, a));
  const url = await freshDatabase();
  const pg = await PgStoryStore.open(url, { max: 2 });
  closing.push(() => pg.close());
  const pool = await openPool(url, { max: 1 });
  closing.push(() => pool.end());
  const src = openSqliteSource(db);
  closing.push(() => src.close());
  return { sqlite, pg, pool, src, leads };
}

describePg("the index of events after a copy", () => {
  it("a wire copy and a report in other words join the copied story's event, as on SQLite", async () => {
    const lead = fixture("e01-apt40-nz-a");
    const { sqlite, pg, pool, src, leads } = await copied([lead]);
    const counts = await copySqliteToPg(src, pool);
    const index = counts.filter((c) => c.label.startsWith("story_keys") || c.label === "event_leads");
    expect(index.map((c) => c.label)).toEqual(["story_keys", "story_keys (stories)", "event_leads"]);
    for (const c of index) expect(c.pg, c.label).toBe(c.sqlite);
    expect(index.map((c) => c.pg)).toEqual([10, 1, expect.any(Number)]);
    expect(index[2]?.pg).toBeGreaterThan(0);

    const later = [wireCopy(lead), fixture("e01-apt40-nz-b")];
    const onPg: SavedStory[] = [];
    for (const a of later) onPg.push(await save(pg, a));
    const onSqlite: SavedStory[] = [];
    for (const a of later) onSqlite.push(await save(sqlite, a));
    const rowid = leads[0]?.storyRowid;
    expect(onSqlite.map((s) => s.event)).toEqual([
      { rowid, lead: false },
      { rowid, lead: false },
    ]);
    expect(onPg.map((s) => s.event)).toEqual(onSqlite.map((s) => s.event));
    expect((await pg.storyReasons(leads[0]?.storyId as string))?.sources).toHaveLength(3);
  });

  it("writes the rows PostgreSQL's own saves write for the same stories", async () => {
    const names = ["e01-apt40-nz-a", "e01-apt40-nz-b", "e03-hospital-de-a", "e05-volt-water-a"];
    const list = [...names.map(fixture), wireCopy(fixture("e03-hospital-de-a"))];
    // A revision replaces its story's rows: the copy holds the last text's only.
    const revised = { ...fixture("e05-volt-water-b"), path: list[3]?.path as string };
    const { pg, pool, src } = await copied([...list, revised]);
    await copySqliteToPg(src, pool);
    const native = await PgStoryStore.open(await freshDatabase(), { max: 1 });
    closing.push(() => native.close());
    for (const a of [...list, revised]) await save(native, a);
    const rowsOf = async (store: PgStoryStore) => {
      const q = (sql: string) =>
        store.pool.query<{ r: string }>(sql).then((r) => r.rows.map((x) => x.r).sort());
      return {
        keys: await q(`SELECT s.id || ' ' || k.day || ' ' || k.key AS r FROM story_keys k
          JOIN stories s ON s.rowid = k.story_rowid`),
        leads: await q(`SELECT s.id || ' ' || e.day || ' ' || e.tag AS r FROM event_leads e
          JOIN stories s ON s.rowid = e.story_rowid`),
      };
    };
    const expected = await rowsOf(native);
    expect(expected.keys.length).toBe(10 * 5);
    expect(expected.leads.length).toBeGreaterThan(2);
    expect(await rowsOf(pg)).toEqual(expected);
  });

  it("rolls the copy back when the index rows fall short of what the source derives", async () => {
    const { pool, src } = await copied([fixture("e01-apt40-nz-a"), fixture("e03-hospital-de-a")]);
    // A filler that loses the keys of all but the first story's: the verification must catch it.
    const lossy: Copier = {
      ...eventsCopier,
      fill: async (s, tx) => {
        const wrote = await eventsCopier.fill?.(s, tx);
        await tx.query(
          "DELETE FROM story_keys WHERE story_rowid > (SELECT min(story_rowid) FROM story_keys)",
        );
        return wrote ?? {};
      },
    };
    const err = await copySqliteToPg(
      src,
      pool,
      COPIERS.map((c) => (c === eventsCopier ? lossy : c)),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CopyMismatchError);
    const off = (err as CopyMismatchError).counts.filter((c) => c.sqlite !== c.pg);
    expect(off.map((c) => [c.label, c.sqlite, c.pg])).toEqual([
      ["story_keys", 20, 10],
      ["story_keys (stories)", 2, 1],
    ]);
    const left = await pool.query(
      "SELECT (SELECT count(*) FROM story_keys) + (SELECT count(*) FROM stories) AS n",
    );
    expect(Number(left.rows[0].n)).toBe(0);
  });
});
