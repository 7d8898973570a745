// Compiles countries.json from the world-countries package plus the hand-checked extras.

import worldCountries from "world-countries";
import { normalKey } from "../../src/analysis/token-keys.js";
import type { CountriesFile, CountryRecord, TermRecord } from "../../src/analysis/types.js";
import {
  ABBREVIATIONS,
  AGENCIES,
  BLOCKERS,
  DROPPED_ALTS,
  EXTRA_DEMONYMS,
  EXTRA_NAMES,
  GOVERNMENT_CAPITALS,
  PERSON_NAMES,
  PLACES,
  SEATS,
  US_STATE_NAMES,
} from "./country-extras.js";

interface WorldCountry {
  cca2: string;
  independent?: boolean | null;
  flag: string;
  capital?: string[];
  altSpellings: string[];
  name: { common: string; official: string };
  demonyms?: { eng?: { m: string; f: string } };
}

const LATIN = /^[\p{Script=Latin}\s.'’-]+$/u;
const PLURAL_SKIP = /(ese|sh|ch|ss|x|z)$/i;

export function buildCountries(): CountriesFile {
  const all = worldCountries as unknown as WorldCountry[];
  const demonymOwners = sharedDemonyms(all);
  const dropped = new Set(DROPPED_ALTS.map(normalKey));
  const person = new Set(PERSON_NAMES.map(normalKey));
  const state = new Set(US_STATE_NAMES.map(normalKey));
  const countries: CountryRecord[] = [];
  for (const c of all) {
    const code = c.cca2;
    const terms: TermRecord[] = [];
    const seen = new Set<string>();
    const add = (
      text: string,
      kind: TermRecord["kind"],
      match: TermRecord["match"],
      flags?: TermRecord["flags"],
    ) => {
      const key = `${normalKey(text)}|${match}`;
      if (!normalKey(text) || seen.has(key)) return;
      seen.add(key);
      const f = [...(flags ?? [])];
      if (kind === "name" || kind === "alt") {
        if (person.has(normalKey(text))) f.push("person");
        if (state.has(normalKey(text))) f.push("state");
      }
      const term: TermRecord = { text, key: normalKey(text), kind, match };
      terms.push(f.length > 0 ? { ...term, flags: f } : term);
    };
    add(c.name.common, "name", "cap");
    add(c.name.official, "name", "cap");
    for (const n of EXTRA_NAMES[code] ?? []) add(n, "name", "cap");
    for (const alt of c.altSpellings) {
      const words = alt.split(/\s+/);
      if (!LATIN.test(alt) || alt === alt.toUpperCase() || alt.includes(",")) continue;
      if (dropped.has(normalKey(alt)) || (words.length === 1 && alt.length < 5)) continue;
      add(alt, "alt", "cap");
    }
    for (const a of ABBREVIATIONS[code] ?? []) add(a, "abbr", "exact");
    const demonyms = [...demonymOwners.entries()].filter(([, owner]) => owner === code).map(([d]) => d);
    for (const d of EXTRA_DEMONYMS[code] ?? []) if (!demonyms.includes(d)) demonyms.push(d);
    for (const d of demonyms) {
      add(d, "demonym", "cap");
      if (!PLURAL_SKIP.test(d)) add(`${d}s`, "demonym", "cap");
    }
    for (const cap of GOVERNMENT_CAPITALS[code] ?? []) add(cap, "capital", "cap");
    for (const seat of SEATS[code] ?? []) add(seat, "seat", "cap");
    for (const place of PLACES[code] ?? []) add(place, "place", "cap");
    for (const agency of AGENCIES[code] ?? []) {
      const flags: TermRecord["flags"] = [];
      if (agency.cue) flags.push("cue");
      if (agency.intel) flags.push("intel");
      for (const name of agency.names) {
        const acronym =
          name === name.toUpperCase() || (/^[A-Z][A-Za-z]*[A-Z]/.test(name) && !name.includes(" "));
        add(name, "agency", acronym ? "exact" : "cap", flags);
      }
    }
    countries.push({
      code,
      name: c.name.common,
      official: c.name.official,
      flag: c.flag,
      independent: c.independent === true,
      capital: c.capital?.[0] ?? null,
      demonyms,
      terms,
    });
  }
  countries.sort((a, b) => a.code.localeCompare(b.code));
  return { format: 1, countries, blockers: [...BLOCKERS] };
}

/** Each English demonym to its one owner; shared ones go to the only independent claimant, or to nobody. */
function sharedDemonyms(all: WorldCountry[]): Map<string, string> {
  const claims = new Map<string, WorldCountry[]>();
  for (const c of all) {
    const eng = c.demonyms?.eng;
    if (!eng) continue;
    for (const d of new Set([eng.m, eng.f])) if (d) claims.set(d, [...(claims.get(d) ?? []), c]);
  }
  const owners = new Map<string, string>();
  for (const [d, cs] of claims) {
    const independent = cs.filter((c) => c.independent === true);
    const pick = cs.length === 1 ? cs[0] : independent.length === 1 ? independent[0] : undefined;
    if (pick) owners.set(d, pick.cca2);
  }
  return owners;
}
