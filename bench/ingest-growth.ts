// bench:ingest's growth step (BENCH_GROWTH=1): does a stored article cost more as the store grows? The store's
// time per article for the first 5,000 stories of an empty store against 50,000 more into one of 100,000.

import { join } from "node:path";
import { createAnalyser, loadGazetteer } from "../src/analysis/index.js";
import type { Analyse } from "../src/core/article.js";
import type { SaveItem } from "../src/core/story.js";
import { isRejected, readArticle } from "../src/ingest/reader.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import { newsArticle } from "./news.js";

/** The items of stories [from, to), analysed (analysis costs the same whatever the store holds: not timed). */
function items(analyse: Analyse, from: number, to: number): SaveItem[] {
  const out: SaveItem[] = [];
  for (let i = from; i < to; i++) {
    const path = `/bench/article-${i}.txt`;
    const bytes = Buffer.from(newsArticle(i, { facts: 12, perDay: 30 }));
    const article = readArticle(bytes, { path, mtimeMs: 0 });
    if (isRejected(article)) throw new Error(`synthetic article ${i} rejected: ${article.detail}`);
    out.push({ article, analysis: analyse(article), file: { path, size: bytes.length, mtimeMs: 0 } });
  }
  return out;
}

/** Saves stories [from, to) in batches of 200 (as ingest does); the time and CPU time of the saves alone. */
async function save(store: SqliteStoryStore, analyse: Analyse, from: number, to: number) {
  let ms = 0;
  let cpuMs = 0;
  for (let start = from; start < to; start += 2000) {
    const batch = items(analyse, start, Math.min(to, start + 2000));
    for (let k = 0; k < batch.length; k += 200) {
      const t = performance.now();
      const cpu = process.cpuUsage();
      await store.saveArticles(batch.slice(k, k + 200));
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      ms += performance.now() - t;
    }
  }
  return { ms, cpuMs };
}

export async function measureGrowth(dir: string, first = 5000, base = 100_000, more = 50_000) {
  const analyse = createAnalyser(loadGazetteer());
  // The first stories are timed before and after the long fill, their mean the reference: a machine shared with
  // other work changes speed over minutes, and this keeps that out of the ratio as far as it can.
  const coldRun = async (name: string) => {
    const fresh = new SqliteStoryStore(join(dir, name));
    const timing = await save(fresh, analyse, 0, first);
    await fresh.close();
    return timing;
  };
  const before = await coldRun("growth-fresh-1.db");
  const big = new SqliteStoryStore(join(dir, "growth-big.db"));
  const fillStarted = performance.now();
  await save(big, analyse, 0, base);
  const fillMs = performance.now() - fillStarted;
  const grown = await save(big, analyse, base, base + more);
  await big.close();
  const after = await coldRun("growth-fresh-2.db");
  const cold = { ms: (before.ms + after.ms) / 2, cpuMs: (before.cpuMs + after.cpuMs) / 2 };
  const per = (t: { ms: number; cpuMs: number }, n: number) => ({
    usPerArticle: Math.round((t.ms * 1000) / n),
    cpuUsPerArticle: Math.round((t.cpuMs * 1000) / n),
  });
  const a = per(cold, first);
  const b = per(grown, more);
  return {
    first: {
      articles: first,
      ...a,
      runs: [per(before, first).usPerArticle, per(after, first).usPerArticle],
    },
    grown: { into: base, articles: more, ...b },
    fillSeconds: +(fillMs / 1000).toFixed(1),
    ratio: +(b.usPerArticle / a.usPerArticle).toFixed(2),
    cpuRatio: +(b.cpuUsPerArticle / a.cpuUsPerArticle).toFixed(2),
  };
}
