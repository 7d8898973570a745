// The small builders the composition root uses: the gazetteer (loaded once, timed), the analyser, and the routed
// save port every source saves through.

import { routeStory } from "../alerts/routing.js";
import { createAnalyser, type Gazetteer, loadGazetteer, type NameIndex } from "../analysis/index.js";
import type { Config } from "../config/schema.js";
import type { Analyse, Analysis, Article } from "../core/article.js";
import type { IngestStore } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { StoryStore } from "../store/types.js";
import { lazyNames, OVERRIDES, timed } from "./names.js";

export { OVERRIDES };

export function gazetteer(log: Logger): Gazetteer {
  return timed(log, "gazetteer loaded", () => loadGazetteer({ overridesPath: OVERRIDES }));
}

/**
 * The names the commands resolve and the analyser, each loaded when first used: names alone come from the
 * resolver (`loadNames`, no matcher); the matcher is built only when this thread analyses (never in the bot, whose
 * analysis worker holds the only one).
 */
export function lazyAnalysis(log: Logger): { names: NameIndex; analyse: Analyse } {
  let full: Gazetteer | undefined;
  let analyser: Analyse | undefined;
  return {
    names: lazyNames(log, () => full),
    analyse: (article: Article): Analysis => {
      full ??= gazetteer(log);
      analyser ??= createAnalyser(full);
      return analyser(article);
    },
  };
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
