// Search on PostgreSQL finds exactly what SQLite's FTS5 finds: every word, and every pair of neighbouring words
// as a phrase, of real article fixtures (accents, hyphens, CVE ids, "U.S.", short words) searched in both stores.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { isRejected, readArticle } from "../../../src/ingest/reader.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import { analysisOf } from "../../helpers/analysis.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";
import { tempDir } from "../../helpers/tmp.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");

describePg("search parity with SQLite", () => {
  it("every word and two-word phrase of the event and article fixtures finds the same stories in both", async () => {
    const sqlite = new SqliteStoryStore(join(tempDir(), "s.db"));
    const pg = await PgStoryStore.open(await freshDatabase(), { max: 2 });
    try {
      const words = new Set<string>();
      const phrases = new Set<string>();
      for (const dir of ["events", "articles"]) {
        for (const name of readdirSync(join(FIXTURES, dir)).sort()) {
          const path = `/${dir}/${name}`;
          const a = readArticle(readFileSync(join(FIXTURES, dir, name)), { path, mtimeMs: 0 });
          if (isRejected(a)) continue;
          const split = `${a.title} ${a.body}`.split(/\s+/).filter(Boolean);
          split.forEach((w, i) => {
            words.add(w);
            if (i > 0 && i % 7 === 0) phrases.add(`${split[i - 1]} ${w}`);
          });
          const file = { path, size: 1, mtimeMs: 0 };
          await sqlite.saveArticle(a, analysisOf(), file);
          await pg.saveArticle(a, analysisOf(), file);
        }
      }
      expect(words.size).toBeGreaterThan(1000);
      const differ: string[] = [];
      const found = async (store: SqliteStoryStore | PgStoryStore, term: string) =>
        (await store.search([term], 200)).stories.map((s) => s.path).sort();
      for (const term of [...words, ...phrases]) {
        const [a, b] = [await found(sqlite, term), await found(pg, term)];
        if (a.join("\n") !== b.join("\n")) differ.push(`${term}: SQLite ${a.length}, PostgreSQL ${b.length}`);
      }
      expect(differ).toEqual([]);
    } finally {
      await pg.close();
      await sqlite.close();
    }
  });
});
