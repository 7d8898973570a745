// The small builders the composition root uses: the gazetteer (loaded once, timed), the analyser, and the routed
// save port every source saves through.

import { routeStory } from "../alerts/routing.js";
import {
  createAnalyser,
  type Gazetteer,
  loadGazetteer,
  loadNames,
  type NameIndex,
} from "../analysis/index.js";
import type { Config } from "../config/schema.js";
import type { Analyse, Analysis, Article } from "../core/article.js";
import { packagePath } from "../core/paths.js";
import type { IngestStore } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { StoryStore } from "../store/types.js";

export const OVERRIDES = packagePath("config", "actors.overrides.json");

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
  let resolver: NameIndex | undefined;
  let analyser: Analyse | undefined;
  const whole = (): Gazetteer => {
    full ??= gazetteer(log);
    return full;
  };
  // The whole gazetteer when this thread has built it already, else the resolver alone.
  const names = (): NameIndex => {
    resolver ??= full ?? timed(log, "names loaded", () => loadNames({ overridesPath: OVERRIDES }));
    return resolver;
  };
  return {
    names: {
      resolveActor: (text) => names().resolveActor(text),
      resolveCountry: (text) => names().resolveCountry(text),
      actor: (id) => names().actor(id),
      country: (code) => names().country(code),
      actors: () => names().actors(),
      countries: () => names().countries(),
      suggest: (text, limit) => names().suggest(text, limit),
      prefixSearch: (text, limit) => names().prefixSearch(text, limit),
    },
    analyse: (article: Article): Analysis => {
      analyser ??= createAnalyser(whole());
      return analyser(article);
    },
  };
}

function timed<T>(log: Logger, what: string, load: () => T): T {
  const started = performance.now();
  const value = load();
  log.debug({ ms: Math.round(performance.now() - started) }, what);
  return value;
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
