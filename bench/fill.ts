// Fills a store with N generated stories through the real reader, analyser and batched saves.

import { createAnalyser, loadGazetteer } from "../src/analysis/index.js";
import type { SaveItem } from "../src/core/story.js";
import { isRejected, readArticle } from "../src/ingest/reader.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import { newsArticle } from "./news.js";

/**
 * News-like stories (news.ts: 70% first reports of distinct incidents, 15% copies, 15% other reports), about
 * 1.7 KB each, 30 a day: a store of 100,000 stories holds about 60,000 events, as a real one would hold many.
 */
export async function fillStore(dbPath: string, n: number): Promise<number> {
  const started = performance.now();
  const analyse = createAnalyser(loadGazetteer());
  const store = new SqliteStoryStore(dbPath);
  try {
    for (let start = 0; start < n; start += 2000) {
      const items: SaveItem[] = [];
      for (let i = start; i < Math.min(n, start + 2000); i++) {
        const path = `/bench/article-${i}.txt`;
        const bytes = Buffer.from(newsArticle(i, { facts: 12, perDay: 30 }));
        const article = readArticle(bytes, { path, mtimeMs: 0 });
        if (isRejected(article)) throw new Error(`synthetic article ${i} rejected: ${article.detail}`);
        items.push({
          article,
          analysis: analyse(article),
          file: { path, size: bytes.length, mtimeMs: 0 },
        });
      }
      await store.saveArticles(items);
    }
  } finally {
    await store.close();
  }
  return performance.now() - started;
}
