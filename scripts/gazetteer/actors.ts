// Compiles actors.json from MISP galaxies: one owner per alias (see docs/gazetteer.md), case and context rules.

import { classifyAlias, looksTitleCased, type WordSet } from "../../src/analysis/classify.js";
import { schemeOf, schemeRank } from "../../src/analysis/schemes.js";
import { normalKey } from "../../src/analysis/token-keys.js";
import type {
  ActorRecord,
  ActorsFile,
  AliasRecord,
  ContestRecord,
  Source,
} from "../../src/analysis/types.js";
import { type Group, groupClusters, type NameRef } from "./link.js";
import { type Cluster, countryNameIndex, type MispInput, validCode } from "./misp.js";

// cfr fields use names the MISP country cluster spells differently.
const CFR_NAMES: [string, string][] = [
  ["Russian Federation", "RU"],
  ["Korea (Democratic People's Republic of)", "KP"],
  ["Korea (Republic of)", "KR"],
  ["Iran (Islamic Republic of)", "IR"],
  ["Viet Nam", "VN"],
  ["Taiwan, Province of China", "TW"],
  ["United States of America", "US"],
  ["Syrian Arab Republic", "SY"],
  ["United Kingdom of Great Britain and Northern Ireland", "GB"],
];

export function buildActors(input: MispInput, words: WordSet): ActorsFile {
  const byName = countryNameIndex(input.countries, CFR_NAMES);
  const sponsorOf = (c: Cluster): string | null => {
    const code = validCode(c.meta?.country);
    if (code) return code;
    const cfr = c.meta?.["cfr-suspected-state-sponsor"];
    return typeof cfr === "string" ? (byName.get(normalKey(cfr)) ?? null) : null;
  };
  const groups = groupClusters(input, sponsorOf);
  const { owner, contested } = assignOwners(groups);
  const actors = groups.map((g, gi) => toRecord(g, gi, owner, words));
  actors.sort((a, b) => a.id.localeCompare(b.id, "en"));
  const sources = [input.threatActors, input.mitre, input.microsoft, input.countries]
    .filter((g) => g !== null)
    .map((g) => ({ name: g.name, version: g.version, clusters: g.values.length }));
  return { format: 1, sources, actors, contested };
}

/** Each alias key gets one owner: the actor it names canonically, else the most votes, else nobody. */
function assignOwners(groups: Group[]): { owner: Map<string, number>; contested: ContestRecord[] } {
  const votes = new Map<string, Map<number, Set<string>>>();
  const display = new Map<string, string>();
  groups.forEach((g, gi) => {
    for (const n of g.names) {
      const key = normalKey(n.name);
      if (!key) continue;
      if (!display.has(key)) display.set(key, n.name);
      const byGroup = votes.get(key) ?? new Map<number, Set<string>>();
      const clusters = byGroup.get(gi) ?? new Set<string>();
      clusters.add(n.cluster);
      byGroup.set(gi, clusters);
      votes.set(key, byGroup);
    }
  });
  const canonical = new Map<string, number[]>();
  groups.forEach((g, gi) => {
    const k = normalKey(g.id);
    canonical.set(k, [...(canonical.get(k) ?? []), gi]);
  });
  const owner = new Map<string, number>();
  const contested: ContestRecord[] = [];
  for (const [key, byGroup] of votes) {
    if (byGroup.size === 1) {
      owner.set(key, [...byGroup.keys()][0] as number);
      continue;
    }
    const claimants = [...byGroup.entries()]
      .map(([gi, cl]) => ({ gi, votes: cl.size }))
      .sort((a, b) => b.votes - a.votes || a.gi - b.gi);
    const canon = (canonical.get(key) ?? []).filter((gi) => byGroup.has(gi));
    let winner: number | null = null;
    let rule: ContestRecord["rule"] = "undecided";
    if (canon.length === 1) {
      winner = canon[0] as number;
      rule = "canonical";
    } else if (claimants.length > 1 && (claimants[0]?.votes ?? 0) > (claimants[1]?.votes ?? 0)) {
      winner = claimants[0]?.gi ?? null;
      rule = "votes";
    }
    if (winner !== null) owner.set(key, winner);
    contested.push({
      alias: display.get(key) ?? key,
      claimants: claimants.map((c) => ({ id: (groups[c.gi] as Group).id, votes: c.votes })),
      winner: winner === null ? null : (groups[winner] as Group).id,
      rule,
    });
  }
  contested.sort((a, b) => a.alias.localeCompare(b.alias, "en"));
  return { owner, contested };
}

function toRecord(g: Group, gi: number, owner: Map<string, number>, words: WordSet): ActorRecord {
  const byKey = new Map<string, { refs: NameRef[]; order: number }>();
  g.names.forEach((n, order) => {
    const key = normalKey(n.name);
    if (!key || owner.get(key) !== gi) return;
    const slot = byKey.get(key) ?? { refs: [], order };
    slot.refs.push(n);
    byKey.set(key, slot);
  });
  const idKey = normalKey(g.id);
  const aliases: (AliasRecord & { order: number; rank: number })[] = [];
  for (const [key, { refs, order }] of byKey) {
    const name = displayName(refs.map((r) => r.name));
    const sources = [...new Set(refs.map((r) => r.source))].sort() as Source[];
    const scheme = schemeOf(
      name,
      refs.some((r) => r.mitreName),
    );
    const cls = classifyAlias(name, words, scheme);
    const rank = key === idKey ? 0 : schemeRank(scheme);
    aliases.push({ name, key, sources, scheme, ...cls, order, rank });
  }
  aliases.sort((a, b) => a.rank - b.rank || a.order - b.order);
  // The primary cluster's own country first, then merged clusters', then ATT&CK/Microsoft ones.
  const sponsor = g.sponsors[0] ?? null;
  return {
    id: g.id,
    uuid: g.uuid,
    attackId: g.attack?.id ?? aliases.find((a) => /^G\d{4}$/.test(a.name))?.name ?? null,
    sponsor,
    origin: g.origin,
    ...(g.merged.length > 0 ? { merged: g.merged } : {}),
    aliases: aliases.map(({ order: _o, rank: _r, ...a }) => a),
  };
}

/** Prefer a title-cased spelling ("Kryptonite Panda") over a shouted one ("KRYPTONITE PANDA"). */
function displayName(names: string[]): string {
  const mixed = names.find((n) => n !== n.toUpperCase() && looksTitleCased(n));
  return mixed ?? names[0] ?? "";
}
