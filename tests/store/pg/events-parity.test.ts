// Both stores decide events by one rule (store/event-rule.ts) over their own indexes: over the labelled set of
// articles, saved in the same order, they put the same articles together, for the same reasons.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createAnalyser, loadGazetteer } from "../../../src/analysis/index.js";
import type { Article } from "../../../src/core/article.js";
import { isRejected, readArticle } from "../../../src/ingest/reader.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import type { SavedStory, StoryStore } from "../../../src/store/types.js";
import { file } from "../../alerts/fixtures.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";
import { tempDir } from "../../helpers/tmp.js";

const DIR = join(import.meta.dirname, "../../fixtures/events");

function articles(): Array<{ name: string; article: Article }> {
  return readdirSync(DIR)
    .filter((n) => n.endsWith(".md"))
    .map((n) => {
      const path = join(DIR, n);
      const a = readArticle(readFileSync(path), { path, mtimeMs: 0 });
      if (isRejected(a)) throw new Error(a.detail);
      return { name: n.slice(0, -3), article: a };
    })
    .sort((x, y) => x.article.date.localeCompare(y.article.date) || x.name.localeCompare(y.name));
}

describePg("events on both stores", () => {
  it("the labelled set makes the same events with the same reasons on SQLite and PostgreSQL", async () => {
    const analyse = createAnalyser(loadGazetteer());
    const list = articles();
    // Each article as a copy too, stored after the set: copies join whatever their place.
    const copies = list.slice(0, 8).map(({ name, article: a }) => ({
      name: `${name}-copy`,
      article: {
        ...a,
        path: `/wire/${name}.md`,
        body: `Via the wire.\n\n${a.body}`,
        contentHash: `c-${name}`,
      },
    }));
    const run = async (store: StoryStore) => {
      const leadOf = new Map<number, string>();
      const out: Array<[string, string, string[] | undefined]> = [];
      for (const { name, article } of [...list, ...copies]) {
        let saved: SavedStory | undefined;
        await store.saveArticle(article, analyse(article), file(article.path), {
          onSaved: (_tx, s) => (saved = s),
        });
        if (!saved) throw new Error(`${name} was not saved`);
        if (saved.event.lead) leadOf.set(saved.storyRowid, name);
        const why = (await store.storyReasons(saved.storyId))?.sources.find(
          (s) => s.path === article.path,
        )?.why;
        out.push([name, leadOf.get(saved.event.rowid) ?? "?", why?.slice(1)]);
      }
      return out;
    };
    const sqlite = new SqliteStoryStore(join(tempDir(), "p.db"));
    const pg = await PgStoryStore.open(await freshDatabase(), { max: 2 });
    try {
      const expected = await run(sqlite);
      expect(expected.filter(([name, lead]) => name !== lead).length).toBeGreaterThan(8);
      expect(await run(pg)).toEqual(expected);
    } finally {
      await sqlite.close();
      await pg.close();
    }
  });
});
