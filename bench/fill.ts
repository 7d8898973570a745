// Fills a store with N generated stories through the real reader, analyser and batched saves.

import { createAnalyser, loadGazetteer } from "../src/analysis/index.js";
import type { SaveItem } from "../src/core/story.js";
import { isRejected, readArticle } from "../src/ingest/reader.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import { syntheticArticle } from "./corpus.js";

export async function fillStore(dbPath: string, n: number, bytesPerArticle = 900): Promise<number> {
  const started = performance.now();
  const analyse = createAnalyser(loadGazetteer());
  const store = new SqliteStoryStore(dbPath);
  try {
    for (let start = 0; start < n; start += 2000) {
      const items: SaveItem[] = [];
      for (let i = start; i < Math.min(n, start + 2000); i++) {
        const path = `/bench/article-${i}.txt`;
        const article = readArticle(Buffer.from(syntheticArticle(i, bytesPerArticle)), { path, mtimeMs: 0 });
        if (isRejected(article)) throw new Error(`synthetic article ${i} rejected: ${article.detail}`);
        items.push({
          article,
          analysis: analyse(article),
          file: { path, size: bytesPerArticle, mtimeMs: 0 },
        });
      }
      await store.saveArticles(items);
    }
  } finally {
    await store.close();
  }
  return performance.now() - started;
}
