// PostgreSQL's tag_counts trigger keeps each tag's count equal to a count over story_tags, through new stories,
// revisions that drop and add tags, and a batch that rolls back.

import { expect, it } from "vitest";
import type { Analysis } from "../../../src/core/article.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";

const actor = (id: string) => ({ id, name: id, attackId: null, sponsor: null, matched: [] });
const tagged = (actors: string[], countries: string[] = []): Analysis =>
  analysisOf({
    actors: actors.map(actor),
    countries: countries.map((code) => ({ code, name: code, roles: ["sponsor" as const], matched: [] })),
    cves: ["CVE-2024-0001"],
  });
const file = (path: string, mtimeMs = 1) => ({ path, size: 1, mtimeMs });

async function drift(store: PgStoryStore): Promise<unknown[]> {
  const rows = await store.pool.query(
    `SELECT coalesce(c.kind, t.kind) AS kind, coalesce(c.value, t.value) AS value, c.stories, t.n
     FROM tag_counts c FULL JOIN (SELECT kind, value, role, count(*)::int AS n FROM story_tags WHERE shown = 1
       GROUP BY kind, value, role) t ON (t.kind, t.value, t.role) = (c.kind, c.value, c.role)
     WHERE coalesce(c.stories, 0) <> coalesce(t.n, 0)`,
  );
  return rows.rows;
}

describePg("tag counts", () => {
  it("equal a count over story_tags after saves, revisions and a rolled-back batch", async () => {
    const store = await PgStoryStore.open(await freshDatabase(), { max: 2 });
    try {
      await store.saveArticle(article("/a.txt", "A one."), tagged(["APT40"], ["CN"]), file("/a.txt"));
      await store.saveArticle(article("/b.txt", "B one."), tagged(["APT40", "APT41"]), file("/b.txt"));
      await store.saveArticle(article("/a.txt", "A two."), tagged(["APT41"]), file("/a.txt", 2));
      await store.saveArticle(article("/b.txt", "B two."), tagged([]), file("/b.txt", 2));
      const broken = { ...tagged(["APT1"]), cyberEvidence: null } as unknown as Analysis;
      await expect(
        store.saveArticles([
          { article: article("/c.txt", "C one."), analysis: tagged(["APT1"]), file: file("/c.txt") },
          { article: article("/d.txt", "D one."), analysis: broken, file: file("/d.txt") },
        ]),
      ).rejects.toThrow();
      expect(await drift(store)).toEqual([]);
      expect((await store.byTag({ kind: "actor", id: "APT41" }, 5)).total).toBe(1);
      expect((await store.byTag({ kind: "actor", id: "APT40" }, 5)).total).toBe(0);
      expect((await store.byTag({ kind: "actor", id: "APT1" }, 5)).total).toBe(0);
      expect((await store.byTag({ kind: "cve", id: "cve-2024-0001" }, 5)).total).toBe(2);
      expect((await store.stats()).stories).toBe(2);
    } finally {
      await store.close();
    }
  });
});
