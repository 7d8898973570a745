// data/names.json: the part of actors.json and countries.json the resolver reads, in a compact form (a third of
// the size, so `loadNames` parses less); written by the gazetteer compiler beside the files it comes from.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ActorRecord, ActorsFile, CountriesFile, CountryRecord, TermRecord } from "./types.js";

/** An alias: its name, and its precomputed key when it has one. */
type CompactAlias = [name: string, key?: string];
type CompactActor = [
  id: string,
  uuid: string,
  attackId: string | null,
  sponsor: string | null,
  merged: string[],
  aliases: CompactAlias[],
];
type CompactTerm = [text: string, kind: TermRecord["kind"], key?: string];
type CompactCountry = [
  code: string,
  name: string,
  official: string,
  flag: string,
  capital: string | null,
  demonyms: string[],
  terms: CompactTerm[],
];

export interface NamesFile {
  format: 1;
  actors: CompactActor[];
  countries: CompactCountry[];
}

export const NAMES_FILE = "names.json";

/** The compact form of the two compiled files (what `npm run gazetteer` writes to data/names.json). */
export function compactNames(actors: ActorsFile, countries: CountriesFile): NamesFile {
  return {
    format: 1,
    actors: actors.actors.map((r) => [
      r.id,
      r.uuid,
      r.attackId,
      r.sponsor,
      (r.merged ?? []).map((m) => m.id),
      r.aliases.map((a): CompactAlias => (a.key === undefined ? [a.name] : [a.name, a.key])),
    ]),
    countries: countries.countries.map((c) => [
      c.code,
      c.name,
      c.official,
      c.flag,
      c.capital,
      c.demonyms,
      c.terms.map((t): CompactTerm => (t.key === undefined ? [t.text, t.kind] : [t.text, t.kind, t.key])),
    ]),
  };
}

/**
 * The actor and country records as far as the resolver reads them, from data/names.json; undefined when the
 * folder has none (then the caller reads the whole files). Fields only the matcher reads are neutral defaults.
 */
export function readNamesData(
  dataDir: string,
): { actors: ActorRecord[]; countries: CountryRecord[]; blockers: string[] } | undefined {
  const path = join(dataDir, NAMES_FILE);
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, "utf8")) as NamesFile;
  const actors = file.actors.map(
    ([id, uuid, attackId, sponsor, merged, aliases]): ActorRecord => ({
      id,
      uuid,
      attackId,
      sponsor,
      origin: "threat-actor",
      merged: merged.map((m) => ({ id: m, uuid: "" })),
      aliases: aliases.map(([name, key]) => ({
        name,
        key,
        sources: [],
        scheme: "",
        match: "off",
        context: "none",
        ordinary: false,
      })),
    }),
  );
  const countries = file.countries.map(
    ([code, name, official, flag, capital, demonyms, terms]): CountryRecord => ({
      code,
      name,
      official,
      flag,
      independent: true,
      capital,
      demonyms,
      terms: terms.map(([text, kind, key]) => ({ text, kind, key, match: "cap" })),
    }),
  );
  return { actors, countries, blockers: [] };
}
