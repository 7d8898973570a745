// Actor and country hits into tags: grouped per entity, roles as bits, evidence sorted and de-duplicated.

import type { ActorTag, CountryRole, CountryTag, Evidence, MalwareTag, SectorTag } from "../core/article.js";
import type { ActorHit } from "./actor-tagger.js";
import type { CountryHit } from "./country-tagger.js";
import type { GazetteerIndex } from "./gazetteer.js";

export interface Tags {
  actors: ActorTag[];
  countries: CountryTag[];
  /** Body offsets of accepted evidence, ascending (for the summary's entity bonus). */
  offsets: Int32Array;
  cyber: boolean;
  cyberEvidence: Evidence[];
  /** The CVE ids named, upper-case, each once: those only in the title, then in order of first mention. */
  cves: string[];
  /** Malware families named, in order of first mention. */
  malware: MalwareTag[];
  /** The victims' sectors (only in a cyber article), each with the words that placed it. */
  sectors: SectorTag[];
}

const SPONSOR = 1;
const TARGET = 2;

export const byOffset = (a: Evidence, b: Evidence): number =>
  a.offset - b.offset || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

export function buildTags(
  index: GazetteerIndex,
  actorHits: ActorHit[],
  countryHits: CountryHit[],
): Omit<Tags, "cyber" | "cyberEvidence" | "cves" | "malware" | "sectors"> {
  const actorEvidence = new Map<number, Evidence[]>();
  for (const h of actorHits) {
    const list = actorEvidence.get(h.actor);
    if (list) list.push(h.evidence);
    else actorEvidence.set(h.actor, [h.evidence]);
  }
  const actors: ActorTag[] = [];
  // Per country: its roles as bits (SPONSOR, TARGET; every hit is a mention) and its evidence.
  const countries = new Map<number, { roles: number; matched: Evidence[] }>();
  for (const [i, evidence] of actorEvidence) {
    const info = index.actors[i];
    if (!info) continue;
    const matched = onlyBodyOrTitle(evidence);
    actors.push({ id: info.id, name: info.name, attackId: info.attackId, sponsor: info.sponsor, matched });
  }
  for (const h of countryHits) {
    const roles = (h.sponsor ? SPONSOR : 0) | (h.target ? TARGET : 0);
    const slot = countries.get(h.country);
    if (slot) {
      slot.roles |= roles;
      slot.matched.push(h.evidence);
    } else countries.set(h.country, { roles, matched: [h.evidence] });
  }
  const countryTags: CountryTag[] = [];
  for (const [i, slot] of countries) {
    const info = index.countries[i];
    if (!info) continue;
    const roles: CountryRole[] = [];
    if ((slot.roles & SPONSOR) !== 0) roles.push("sponsor");
    if ((slot.roles & TARGET) !== 0) roles.push("target");
    roles.push("mentioned");
    countryTags.push({ code: info.code, name: info.name, roles, matched: onlyBodyOrTitle(slot.matched) });
  }
  const first = (m: Evidence[]) => (m[0] as Evidence).offset;
  actors.sort((a, b) => first(a.matched) - first(b.matched) || a.id.localeCompare(b.id));
  countryTags.sort((a, b) => first(a.matched) - first(b.matched) || a.code.localeCompare(b.code));
  let n = 0;
  for (const h of actorHits) if (h.evidence.offset >= 0) n++;
  for (const h of countryHits) if (h.evidence.offset >= 0) n++;
  const offsets = new Int32Array(n);
  n = 0;
  for (const h of actorHits) if (h.evidence.offset >= 0) offsets[n++] = h.evidence.offset;
  for (const h of countryHits) if (h.evidence.offset >= 0) offsets[n++] = h.evidence.offset;
  // A typed array sorts numerically in native code: no comparator called per pair.
  offsets.sort();
  return { actors, countries: countryTags, offsets };
}

/** Body evidence when there is any; title evidence (offset -1) only for tags found in the title alone. */
function onlyBodyOrTitle(evidence: Evidence[]): Evidence[] {
  const list: Evidence[] = [];
  for (const e of evidence) if (e.offset >= 0) list.push(e);
  if (list.length === 0) {
    const title = evidence.find((e) => e.offset < 0);
    return title ? [title] : [];
  }
  if (list.length === 1) return list;
  list.sort(byOffset);
  // Drop repeats (a sponsor's evidence can also be a mention at the same offset).
  let n = 1;
  for (let i = 1; i < list.length; i++) {
    const e = list[i] as Evidence;
    if (e.offset !== (list[n - 1] as Evidence).offset) list[n++] = e;
  }
  list.length = n;
  return list;
}
