// Reads MISP galaxy cluster files: only the structured fields (names, synonyms, ids, country codes).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { normalKey } from "../../src/analysis/token-keys.js";

export interface Cluster {
  value: string;
  uuid: string;
  description?: string;
  meta?: {
    synonyms?: string[];
    country?: string;
    external_id?: string;
    "cfr-suspected-state-sponsor"?: string;
    ISO?: string;
  };
  related?: { "dest-uuid": string; type?: string }[];
}

export interface Galaxy {
  name: string;
  version: number | null;
  values: Cluster[];
}

export interface MispInput {
  threatActors: Galaxy;
  mitre: Galaxy | null;
  microsoft: Galaxy | null;
  countries: Galaxy | null;
}

export function readGalaxy(folder: string, name: string, required: boolean): Galaxy | null {
  // Accept both a flat folder of cluster files and a misp-galaxy checkout (clusters/*.json).
  const candidates = [join(folder, `${name}.json`), join(folder, "clusters", `${name}.json`)];
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    if (required) throw new Error(`${name}.json not found in ${folder} (or its clusters/ folder)`);
    return null;
  }
  const raw = JSON.parse(readFileSync(path, "utf8")) as { version?: number; values?: Cluster[] };
  if (!Array.isArray(raw.values)) throw new Error(`${path} has no "values" array`);
  const values = raw.values.filter((v) => typeof v.value === "string" && typeof v.uuid === "string");
  return { name, version: typeof raw.version === "number" ? raw.version : null, values };
}

export function readMisp(folder: string): MispInput {
  return {
    threatActors: readGalaxy(folder, "threat-actor", true) as Galaxy,
    mitre: readGalaxy(folder, "mitre-intrusion-set", false),
    microsoft: readGalaxy(folder, "microsoft-activity-group", false),
    countries: readGalaxy(folder, "country", false),
  };
}

export const synonymsOf = (c: Cluster): string[] =>
  (c.meta?.synonyms ?? []).filter((s): s is string => typeof s === "string" && s.trim() !== "");

/** "APT29 - G0016" -> "APT29". */
export const mitreShortName = (c: Cluster): string => c.value.replace(/\s+-\s+G\d{4}$/, "").trim();

export const validCode = (code: unknown): string | null =>
  typeof code === "string" && /^[A-Z]{2}$/.test(code.trim().toUpperCase()) ? code.trim().toUpperCase() : null;

/** Maps country names as written in cfr fields ("Russian Federation") to alpha-2 via the MISP country cluster. */
export function countryNameIndex(countries: Galaxy | null, extra: [string, string][]): Map<string, string> {
  const index = new Map<string, string>();
  for (const c of countries?.values ?? []) {
    const code = validCode(c.meta?.ISO);
    if (!code) continue;
    index.set(normalKey(c.value), code);
    const label = (c as unknown as { description?: unknown }).description;
    if (typeof label === "string") index.set(normalKey(label), code);
  }
  for (const [name, code] of extra) if (!index.has(normalKey(name))) index.set(normalKey(name), code);
  return index;
}
