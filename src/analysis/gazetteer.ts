// Loads the compiled gazetteer (data/) and local overrides (config/) into a matcher and a resolver.

import { packagePath } from "../core/paths.js";
import type { Entry } from "./entries.js";
import { build } from "./gazetteer-build.js";
import { loadMalware, type MalwareIndex } from "./malware-data.js";
import { TokenTrie } from "./trie.js";
import type { ActorInfo, CountryInfo, NameMatch } from "./types.js";

export interface GazetteerIndex {
  trie: TokenTrie<Entry>;
  actors: ActorInfo[];
  countries: CountryInfo[];
  /** Each actor's suspected sponsor as an index into `countries`, -1 for none (blamed only as blame.ts says). */
  actorSponsor: Int32Array;
  /** Malware names, in a trie of their own (data/malware.json), loaded on first use. */
  readonly malware: MalwareIndex;
}

export interface Gazetteer {
  resolveActor(text: string): ActorInfo | undefined;
  resolveCountry(text: string): CountryInfo | undefined;
  actor(id: string): ActorInfo | undefined;
  country(code: string): CountryInfo | undefined;
  actors(): ActorInfo[];
  countries(): CountryInfo[];
  suggest(text: string, limit?: number): NameMatch[];
  prefixSearch(text: string, limit?: number): NameMatch[];
  /** The matcher the analyser walks; not for the command layer. */
  readonly index: GazetteerIndex;
}

/** The command layer's part: names resolved to actors and countries, did-you-mean and prefix search; no matcher. */
export type NameIndex = Omit<Gazetteer, "index">;

export interface LoadOptions {
  /** Defaults to config/actors.overrides.json in the package; a missing file means no overrides. */
  overridesPath?: string;
  /** Folder holding actors.json, countries.json and (optionally) malware.json; defaults to the package's data/. */
  dataDir?: string;
}

/** The whole gazetteer: the resolver and the matcher the analyser walks (built here, not read from a cache). */
export function loadGazetteer(opts: LoadOptions = {}): Gazetteer {
  const trie = new TokenTrie<Entry>();
  const dataDir = opts.dataDir ?? packagePath("data");
  const names = build(opts, dataDir, trie);
  const { actors, countries } = names.tables;
  const countryIndex = new Map(countries.map((c, i) => [c.code, i]));
  const actorSponsor = Int32Array.from(actors, (a) => (a.sponsor ? (countryIndex.get(a.sponsor) ?? -1) : -1));
  let malware: MalwareIndex | undefined;
  return {
    ...names.resolver,
    // Read on first use, once: commands that only resolve names never pay for the malware names.
    index: {
      trie,
      actors,
      countries,
      actorSponsor,
      get malware() {
        malware ??= loadMalware(dataDir);
        return malware;
      },
    },
  };
}

/**
 * Only the resolver, for the command layer (`cyberbrief ask`, the bot's main thread): the same names, codes and
 * suggestions as `loadGazetteer`, without building the matcher, which only the analyser (in its worker) needs.
 */
export function loadNames(opts: LoadOptions = {}): NameIndex {
  return build(opts, opts.dataDir ?? packagePath("data"), null).resolver;
}
