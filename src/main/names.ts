// The names the command layer resolves, loaded on first use: the resolver alone (no matcher) unless this thread
// has built the whole gazetteer already (part of main; light to import, so `ask` and `status` stay quick).

import { loadNames, type NameIndex } from "../analysis/gazetteer.js";
import { packagePath } from "../core/paths.js";
import type { Logger } from "../log/logger.js";

export const OVERRIDES = packagePath("config", "actors.overrides.json");

export function timed<T>(log: Logger, what: string, load: () => T): T {
  const started = performance.now();
  const value = load();
  log.debug({ ms: Math.round(performance.now() - started) }, what);
  return value;
}

/** A resolver whose data is read at its first call; `loaded()` gives a whole gazetteer built here meanwhile. */
export function lazyNames(log: Logger, loaded: () => NameIndex | undefined = () => undefined): NameIndex {
  let resolver: NameIndex | undefined;
  const names = (): NameIndex => {
    resolver ??= loaded() ?? timed(log, "names loaded", () => loadNames({ overridesPath: OVERRIDES }));
    return resolver;
  };
  return {
    resolveActor: (text) => names().resolveActor(text),
    resolveCountry: (text) => names().resolveCountry(text),
    actor: (id) => names().actor(id),
    country: (code) => names().country(code),
    actors: () => names().actors(),
    countries: () => names().countries(),
    suggest: (text, limit) => names().suggest(text, limit),
    prefixSearch: (text, limit) => names().prefixSearch(text, limit),
  };
}
