// Entry point of the gazetteer compiler shared by `npm run gazetteer` and the rebuild test.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { englishWords, type WordSet } from "../../src/analysis/classify.js";
import { compactNames, NAMES_FILE } from "../../src/analysis/names-data.js";
import { normalKey } from "../../src/analysis/token-keys.js";
import type { ActorsFile, CountriesFile, MalwareFile } from "../../src/analysis/types.js";
import { buildActors } from "./actors.js";
import { buildCountries } from "./countries.js";
import { buildMalware } from "./malware.js";
import { readGalaxy, readMisp } from "./misp.js";

export interface BuiltGazetteer {
  actors: ActorsFile;
  countries: CountriesFile;
  /** Absent when the folder holds neither malpedia.json nor ransomware.json. */
  malware: { file: MalwareFile; contested: number } | null;
}

export function buildGazetteer(mispFolder: string, words: WordSet = englishWords()): BuiltGazetteer {
  const malpedia = readGalaxy(mispFolder, "malpedia", false);
  const ransomware = readGalaxy(mispFolder, "ransomware", false);
  const countries = buildCountries();
  // A malware alias that is also a country's name ("Malta") is left to the country; places (Milan) are not names.
  const countryKeys = new Set(
    countries.countries.flatMap((c) =>
      c.terms.filter((t) => t.kind !== "agency" && t.kind !== "place").map((t) => normalKey(t.text)),
    ),
  );
  const actors = buildActors(readMisp(mispFolder), words);
  const actorKeys = new Set(actors.actors.flatMap((a) => a.aliases.map((x) => x.key ?? normalKey(x.name))));
  return {
    actors,
    countries,
    malware:
      malpedia || ransomware ? buildMalware({ malpedia, ransomware }, words, countryKeys, actorKeys) : null,
  };
}

/** One record per line: small diffs when MISP changes, still plain JSON. */
function linesJson(
  head: Record<string, unknown>,
  listKey: string,
  list: unknown[],
  tail: Record<string, unknown>,
) {
  const parts = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const items = list.map((x) => `    ${JSON.stringify(x)}`).join(",\n");
  parts.push(`  ${JSON.stringify(listKey)}: [\n${items}\n  ]`);
  for (const [k, v] of Object.entries(tail)) {
    const arr = Array.isArray(v)
      ? `[\n${v.map((x) => `    ${JSON.stringify(x)}`).join(",\n")}\n  ]`
      : JSON.stringify(v);
    parts.push(`  ${JSON.stringify(k)}: ${arr}`);
  }
  return `{\n${parts.join(",\n")}\n}\n`;
}

export function writeGazetteer(outDir: string, built: BuiltGazetteer): string[] {
  mkdirSync(outDir, { recursive: true });
  const { actors, countries } = built;
  const actorsPath = join(outDir, "actors.json");
  const countriesPath = join(outDir, "countries.json");
  writeFileSync(
    actorsPath,
    linesJson({ format: actors.format, sources: actors.sources }, "actors", actors.actors, {
      contested: actors.contested,
    }),
  );
  writeFileSync(
    countriesPath,
    linesJson({ format: countries.format }, "countries", countries.countries, {
      blockers: countries.blockers,
    }),
  );
  // The resolver's compact copy (src/analysis/names-data.ts), so `loadNames` parses a third as much.
  const namesPath = join(outDir, NAMES_FILE);
  writeFileSync(namesPath, `${JSON.stringify(compactNames(actors, countries))}\n`);
  if (!built.malware) return [actorsPath, countriesPath, namesPath];
  const malware = built.malware.file;
  const malwarePath = join(outDir, "malware.json");
  writeFileSync(
    malwarePath,
    linesJson({ format: malware.format, sources: malware.sources }, "malware", malware.malware, {}),
  );
  return [actorsPath, countriesPath, namesPath, malwarePath];
}
