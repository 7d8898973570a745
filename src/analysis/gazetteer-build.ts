// Builds the name tables from the data files and overrides: actor and country keys, the resolver, and the
// trie entries when the matcher is wanted.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packagePath } from "../core/paths.js";
import { FILLERS } from "./cues.js";
import type { ActorEntry, Entry } from "./entries.js";
import type { LoadOptions, NameIndex } from "./gazetteer.js";
import { readNamesData } from "./names-data.js";
import { applyOverrides, readOverrides } from "./overrides.js";
import { compactKey, type NameRow, prefixSearch, suggest } from "./resolver.js";
import { hashKey, normalKey, phraseKeys } from "./token-keys.js";
import type { TokenTrie } from "./trie.js";
import type { ActorInfo, ActorsFile, CountriesFile, CountryInfo } from "./types.js";

/** Precomputed keys when the compiled file has them; tokenise otherwise (override aliases, older files). */
const keysOf = (text: string, key: string | undefined): string[] =>
  key === undefined ? phraseKeys(text) : key === "" ? [] : key.split(" ");

/** Names may open with a lowercase function word ("the Dukes"); the trie must check those starts too. */
const startsWithFiller = (keys: string[]): boolean => keys.length > 1 && FILLERS.has(hashKey(keys[0] ?? ""));

/**
 * "ATP 40", "ATP28": the letters of an APT number swapped, a common misspelling. Matched in capitals and only with
 * a cyber cue nearby (or the actor named correctly elsewhere), so "ATP 500" tennis stays tennis.
 */
const SWAP_ENTRY: Omit<ActorEntry, "actor" | "alias"> = {
  kind: "actor",
  match: "upper",
  context: "cue",
  ordinary: false,
  singleWord: false,
};

/** The "atp N" keys of an actor's "apt N" aliases, each once per gazetteer (`seen`). */
function swappedApt(keys: string[], seen: Set<string>): string[][] {
  const out: string[][] = [];
  for (const key of keys) {
    const m = /^apt (\d+)$/.exec(key);
    if (!m || seen.has(key)) continue;
    seen.add(key);
    out.push(["atp", m[1] as string]);
  }
  return out;
}

/** The misspelt "atp 40" key read as "apt 40" by the resolver. */
const unswapApt = (key: string): string => (/^atp \d+$/.test(key) ? `apt${key.slice(3)}` : key);

export function build(
  opts: LoadOptions,
  dataDir: string,
  trie: TokenTrie<Entry> | null,
): { resolver: NameIndex; tables: { actors: ActorInfo[]; countries: CountryInfo[] } } {
  // The resolver alone reads the compact data/names.json when there is one; the matcher needs the whole files.
  const compact = trie ? undefined : readNamesData(dataDir);
  const actorsFile: Pick<ActorsFile, "actors"> =
    compact ?? (JSON.parse(readFileSync(join(dataDir, "actors.json"), "utf8")) as ActorsFile);
  const countriesFile: Pick<CountriesFile, "countries" | "blockers"> =
    compact ?? (JSON.parse(readFileSync(join(dataDir, "countries.json"), "utf8")) as CountriesFile);
  const overrides = readOverrides(opts.overridesPath ?? packagePath("config", "actors.overrides.json"));
  const records = applyOverrides(actorsFile.actors, overrides);

  const rows: NameRow[] = [];
  const actorByKey = new Map<string, number>();
  const idKeys: string[] = [];
  const swapped = new Set<string>();
  const actors: ActorInfo[] = records.map((r, i) => {
    const aliases = [r.id, ...r.aliases.map((a) => a.name).filter((n) => n !== r.id)];
    let idKey: string | undefined;
    for (const a of r.aliases) {
      // The resolver alone needs only the joined key, which the compiled data holds: no split, no tokenising.
      const keys = trie || a.key === undefined ? keysOf(a.name, a.key) : [];
      const key = a.key ?? keys.join(" ");
      if (a.name === r.id) idKey = key;
      if (key && !actorByKey.has(key)) actorByKey.set(key, i);
      if (trie && a.match !== "off") {
        const singleWord = keys.length === 1 && a.ordinary;
        trie.insert(
          keys,
          {
            kind: "actor",
            actor: i,
            alias: a.name,
            match: a.match,
            context: a.context,
            ordinary: a.ordinary,
            singleWord,
          },
          a.match === "any" || startsWithFiller(keys),
        );
      }
    }
    for (const key of swappedApt(
      r.aliases.map((a) => a.key ?? normalKey(a.name)),
      swapped,
    )) {
      trie?.insert(key, { ...SWAP_ENTRY, actor: i, alias: key.join(" ") });
    }
    idKeys.push(idKey ?? normalKey(r.id));
    for (const name of [r.attackId, ...(r.merged ?? []).map((m) => m.id)]) {
      if (!name) continue;
      const key = normalKey(name);
      if (key && !actorByKey.has(key)) actorByKey.set(key, i);
    }
    actorByKey.set(r.uuid, i);
    aliases.forEach((alias, rank) => {
      rows.push({ kind: "actor", id: r.id, label: r.id, alias, compact: "", rank });
    });
    return { id: r.id, name: r.id, attackId: r.attackId, sponsor: r.sponsor, uuid: r.uuid, aliases };
  });
  // Exact ids win over aliases that happen to spell another actor's id.
  idKeys.forEach((key, i) => {
    actorByKey.set(key, i);
  });

  const countryByKey = new Map<string, number>();
  const countries: CountryInfo[] = countriesFile.countries.map((c, i) => {
    const aliases: string[] = [];
    for (const t of c.terms) {
      const flags = t.flags ?? [];
      const keys = keysOf(t.text, t.key);
      trie?.insert(
        keys,
        {
          kind: "country",
          country: i,
          term: t.kind,
          match: t.match,
          exact: t.text.replace(/\.$/, ""),
          person: flags.includes("person"),
          state: flags.includes("state"),
          cue: flags.includes("cue"),
          intel: flags.includes("intel"),
        },
        startsWithFiller(keys),
      );
      // Places only locate victims: "ohio" names no country in a command.
      if (t.kind === "agency" || t.kind === "place") continue;
      const key = keys.join(" ");
      if (!countryByKey.has(key)) countryByKey.set(key, i);
      if (t.kind !== "capital" && t.kind !== "seat") aliases.push(t.text);
      rows.push({
        kind: "country",
        id: c.code,
        label: c.name,
        alias: t.text,
        compact: "",
        rank: aliases.length,
      });
    }
    return {
      code: c.code,
      name: c.name,
      official: c.official,
      flag: c.flag,
      demonyms: c.demonyms,
      capital: c.capital,
      aliases,
    };
  });
  countries.forEach((c, i) => {
    countryByKey.set(c.code.toLowerCase(), i);
  });
  if (trie) for (const phrase of countriesFile.blockers) trie.insert(phraseKeys(phrase), { kind: "block" });

  // The did-you-mean and autocomplete index is only built when the command layer first asks.
  let sorted: NameRow[] | undefined;
  const nameIndex = (): NameRow[] => {
    if (!sorted) {
      for (const row of rows) row.compact = compactKey(row.alias);
      sorted = [...rows].sort((a, b) => (a.compact < b.compact ? -1 : a.compact > b.compact ? 1 : 0));
    }
    return sorted;
  };
  const actorIds = new Map(actors.map((a, i) => [a.id, i]));
  const countryCodes = new Map(countries.map((c, i) => [c.code, i]));
  const pick = <T>(list: T[], i: number | undefined): T | undefined =>
    i === undefined ? undefined : list[i];
  const resolver: NameIndex = {
    resolveActor: (text) =>
      pick(
        actors,
        actorByKey.get(normalKey(text)) ??
          actorByKey.get(text.trim()) ??
          actorByKey.get(unswapApt(normalKey(text))),
      ),
    resolveCountry: (text) => {
      const key = normalKey(text);
      return pick(countries, countryByKey.get(key) ?? countryByKey.get(key.replace(/ /g, "")));
    },
    actor: (id) => pick(actors, actorIds.get(id) ?? actorByKey.get(normalKey(id))),
    country: (code) => pick(countries, countryCodes.get(code.toUpperCase())),
    actors: () => [...actors],
    countries: () => [...countries],
    suggest: (text, limit = 5) => suggest(nameIndex(), text, limit),
    prefixSearch: (text, limit = 10) => prefixSearch(nameIndex(), text, limit),
  };
  return { resolver, tables: { actors, countries } };
}
