// Several PostgreSQL stores (replicas) on one database: saves and subscription changes made at the same time
// end as if made one after the other.

import { expect, it } from "vitest";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";

const file = (path: string) => ({ path, size: 10, mtimeMs: 1 });

describePg("replicas on one database", () => {
  it("the same files saved by three replicas at once make each story once", async () => {
    const url = await freshDatabase();
    const replicas = await Promise.all([1, 2, 3].map(() => PgStoryStore.open(url, { max: 3 })));
    try {
      const items = Array.from({ length: 20 }, (_, i) => ({
        article: article(`/s${i}.txt`, `Story ${i} body.`),
        analysis: analysisOf({
          actors: [{ id: "APT40", name: "APT40", attackId: null, sponsor: null, matched: [] }],
        }),
        file: file(`/s${i}.txt`),
      }));
      const outcomes = await Promise.all(replicas.map((r) => r.saveArticles(items)));
      const kinds = outcomes.flat().map((o) => o.kind);
      expect(kinds.filter((k) => k === "new")).toHaveLength(20);
      expect(kinds.filter((k) => k === "unchanged")).toHaveLength(40);
      expect((await replicas[0]?.stats())?.stories).toBe(20);
      // Lists show each event once: as many as the stories that open one (alike stories merge into events).
      const leads = await replicas[0]?.pool.query(
        "SELECT count(*)::int AS n FROM stories WHERE event_rowid IS NULL",
      );
      expect((await replicas[1]?.byTag({ kind: "actor", id: "APT40" }, 1))?.total).toBe(leads?.rows[0]?.n);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it("one channel subscribed to one tag by three replicas at once has one subscription and one audit line", async () => {
    const url = await freshDatabase();
    const replicas = await Promise.all([1, 2, 3].map(() => PgStoryStore.open(url, { max: 2 })));
    try {
      const results = await Promise.all(
        replicas.map((r, i) => r.subscribe("slack:T1/C1", "all", `user${i}`)),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await replicas[0]?.subscriptions("slack:T1/C1")).toHaveLength(1);
      expect(await replicas[2]?.subscriptionHistory("slack:T1/C1")).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
