// The scheduler's fence on PostgreSQL, through the stores main/stores.ts opens: a replica writes as scheduler only
// in the term it leads; once another term has begun its saves, rejections, scans, feed state and digest queueing
// are refused whole, and nothing of them is stored.

import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { openStores, type Stores } from "../../src/main/stores.js";
import { LostLeadershipError } from "../../src/store/pg/leader.js";
import { inTransaction, openPool } from "../../src/store/pg/open.js";
import { followerFence, termFence } from "../../src/store/pg/replica.js";
import { analysisOf } from "../helpers/analysis.js";
import { paragraphArticle } from "../helpers/article.js";
import { describePg, freshDatabase } from "../helpers/pg.js";

const opened: Stores[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function stores(): Promise<{ stores: Stores; url: string }> {
  const url = await freshDatabase();
  const config = loadConfig({ env: { CYBERBRIEF_DATABASE_URL: url }, cwd: process.cwd() });
  const s = await openStores(config);
  opened.push(s);
  return { stores: s, url };
}

/** Another replica begins term `term` of the scheduler. */
async function beginTerm(url: string, term: number): Promise<void> {
  const pool = await openPool(url, { max: 1 });
  try {
    await inTransaction(pool, (tx) =>
      tx.query(
        `INSERT INTO leader_terms (role, term, holder, since) VALUES ('scheduler', $1, 'other:1', now())
         ON CONFLICT (role) DO UPDATE SET term = $1, holder = 'other:1'`,
        [term],
      ),
    );
  } finally {
    await pool.end();
  }
}

const file = (path: string) => ({ path, size: 10, mtimeMs: 1 });
const item = (path: string) => ({
  article: paragraphArticle(path, `APT40 hackers struck target ${path}.`),
  analysis: analysisOf({ cyber: true }),
  file: file(path),
});

describePg("the scheduler fence", () => {
  it("refuses every scheduler write of a replica that never led, and of a past term; the current term writes", async () => {
    const { stores: s, url } = await stores();
    const pg = s.pg;
    if (!pg) throw new Error("expected the PostgreSQL store");
    const feed = (
      await s.feeds.addFeed(
        { url: "https://example.com/feed.xml", name: null, everyMs: 900_000, fullText: false },
        "cli",
        "cli",
      )
    ).feed;
    // Opened, a replica is a follower: nothing it writes as scheduler goes through.
    await expect(s.store.saveArticles([item("/seeds/a.txt")])).rejects.toThrow(/does not lead the scheduler/);
    await beginTerm(url, 1);
    pg.setFence(termFence(1));
    expect((await s.store.saveArticles([item("/seeds/a.txt")]))[0]?.kind).toBe("new");
    await beginTerm(url, 2);
    const refused = [
      () => s.store.saveArticles([item("/seeds/b.txt")]),
      () => s.store.recordRejection(file("/seeds/c.txt"), "empty", "no text"),
      () =>
        s.store.recordScan({
          startedAt: "2024-03-25T00:00:00.000Z",
          finishedAt: "2024-03-25T00:00:01.000Z",
          new: 1,
          updated: 0,
          unchanged: 0,
          duplicate: 0,
          rejected: 0,
        }),
      () => s.feeds.updateFeed(feed.id, { failures: 3 }),
      () => s.digests.queueDigest("console:local|all|daily|2024-03-25", () => null),
    ];
    for (const write of refused) await expect(write()).rejects.toBeInstanceOf(LostLeadershipError);
    const stats = await s.store.stats();
    expect(stats).toMatchObject({ stories: 1, files: 1, rejected: 0, lastScan: null });
    expect((await s.feeds.getFeed(String(feed.id)))?.failures).toBe(0);
    pg.setFence(termFence(2));
    expect((await s.store.saveArticles([item("/seeds/b.txt")]))[0]?.kind).toBe("new");
    pg.setFence(followerFence);
    await expect(s.feeds.updateFeed(feed.id, { failures: 3 })).rejects.toThrow(/does not lead/);
  });
});
