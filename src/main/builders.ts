// The small builders the composition root uses: the gazetteer (loaded once, timed), the analyser, and the routed
// save port every source saves through.

import { routeStory } from "../alerts/routing.js";
import { createAnalyser, loadGazetteer } from "../analysis/index.js";
import type { Config } from "../config/schema.js";
import type { Analyse } from "../core/article.js";
import { packagePath } from "../core/paths.js";
import type { IngestStore } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { StoryStore } from "../store/types.js";

export const OVERRIDES = packagePath("config", "actors.overrides.json");

export function gazetteer(log: Logger) {
  const started = performance.now();
  const g = loadGazetteer({ overridesPath: OVERRIDES });
  log.debug({ ms: Math.round(performance.now() - started) }, "gazetteer loaded");
  return g;
}

export function buildAnalyser(_config: Config, log: Logger): Analyse {
  return createAnalyser(gazetteer(log));
}

/**
 * What ingest and feeds save through: each save runs alerts/routing.ts `routeStory` inside its transaction, so a
 * story and the deliveries it queues commit together (step 4 of the article-to-alert path in
 * docs/architecture.md).
 */
export function routedSaves(store: StoryStore): IngestStore {
  return {
    fileIndex: () => store.fileIndex(),
    fileRecords: (paths) => store.fileRecords(paths),
    saveArticles: (items) => store.saveArticles(items, { onSaved: routeStory }),
    recordRejection: (file, reason, detail) => store.recordRejection(file, reason, detail),
    recordScan: (report) => store.recordScan(report),
  };
}
