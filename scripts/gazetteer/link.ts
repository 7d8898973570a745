// Groups MISP clusters into actors: ATT&CK-driven merges, then ATT&CK and Microsoft clusters attached.

import { normalKey } from "../../src/analysis/token-keys.js";
import type { Source } from "../../src/analysis/types.js";
import { type Cluster, type MispInput, mitreShortName, synonymsOf, validCode } from "./misp.js";

export interface NameRef {
  name: string;
  source: Source;
  /** uuid of the cluster that listed the name; one vote per cluster. */
  cluster: string;
  mitreName: boolean;
}

export interface Group {
  id: string;
  uuid: string;
  origin: Source;
  members: Cluster[];
  names: NameRef[];
  keys: Set<string>;
  attack: { id: string; score: number } | null;
  sponsors: string[];
  merged: { id: string; uuid: string }[];
}

class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    this.parent[i] = r;
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

const clusterNames = (c: Cluster, short: string, extra: string[]): string[] => [
  short,
  ...synonymsOf(c),
  ...extra,
];

export function groupClusters(input: MispInput, sponsorOf: (c: Cluster) => string | null): Group[] {
  const ta = input.threatActors.values;
  const canonIndex = new Map<string, number[]>();
  ta.forEach((c, i) => {
    const k = normalKey(c.value);
    canonIndex.set(k, [...(canonIndex.get(k) ?? []), i]);
  });
  const mitre = input.mitre?.values ?? [];
  // 1. ATT&CK lists two threat-actor canonical names as one group: merge them.
  const uf = new UnionFind(ta.length);
  const mergeNames = new Set<string>();
  for (const c of mitre) {
    const hits = new Set<number>();
    for (const n of clusterNames(c, mitreShortName(c), []))
      for (const i of canonIndex.get(normalKey(n)) ?? []) hits.add(i);
    const list = [...hits];
    if (list.length > 1) mergeNames.add(normalKey(mitreShortName(c)));
    for (const i of list.slice(1)) uf.union(list[0] as number, i);
  }
  const sets = new Map<number, number[]>();
  ta.forEach((_, i) => {
    const r = uf.find(i);
    sets.set(r, [...(sets.get(r) ?? []), i]);
  });
  const groups: Group[] = [];
  const groupOfTa = new Map<string, Group>();
  for (const idx of [...sets.values()].sort((a, b) => (a[0] as number) - (b[0] as number))) {
    const members = idx.map((i) => ta[i] as Cluster);
    const primary = pickPrimary(members, mergeNames);
    const ordered = [primary, ...members.filter((m) => m !== primary)];
    const g: Group = {
      id: primary.value.trim(),
      uuid: primary.uuid,
      origin: "threat-actor",
      members: ordered,
      names: [],
      keys: new Set(),
      attack: null,
      sponsors: ordered.map(sponsorOf).filter((s): s is string => s !== null),
      merged: ordered.slice(1).map((m) => ({ id: m.value.trim(), uuid: m.uuid })),
    };
    for (const m of ordered) {
      addNames(g, [m.value, ...synonymsOf(m)], "threat-actor", m.uuid, "");
      groupOfTa.set(m.uuid, g);
    }
    groups.push(g);
  }
  // 2. Attach ATT&CK and Microsoft clusters.
  const secondaries: [Cluster, Source, string, string[]][] = [
    ...mitre.map((c): [Cluster, Source, string, string[]] => {
      const ext = c.meta?.external_id;
      return [c, "mitre-intrusion-set", mitreShortName(c), typeof ext === "string" ? [ext] : []];
    }),
    ...(input.microsoft?.values ?? []).map((c): [Cluster, Source, string, string[]] => [
      c,
      "microsoft-activity-group",
      c.value.trim(),
      [],
    ]),
  ];
  const related = relatedIndex(ta, groupOfTa);
  for (const [c, source, short, extra] of secondaries) {
    const names = clusterNames(c, short, extra);
    const best = bestGroup(c, names, short, groups, groupOfTa, related);
    let g = best;
    if (!g) {
      g = {
        id: short,
        uuid: c.uuid,
        origin: source,
        members: [],
        names: [],
        keys: new Set(),
        attack: null,
        sponsors: [],
        merged: [],
      };
      groups.push(g);
    }
    addNames(g, names, source, c.uuid, short);
    const code = validCode(c.meta?.country);
    if (code) g.sponsors.push(code);
    const ext = c.meta?.external_id;
    if (source === "mitre-intrusion-set" && typeof ext === "string" && /^G\d{4}$/.test(ext)) {
      const score = normalKey(short) === normalKey(g.id) ? 2 : g.keys.has(normalKey(short)) ? 1 : 0;
      if (!g.attack || score > g.attack.score) g.attack = { id: ext, score };
    }
  }
  return groups;
}

function pickPrimary(members: Cluster[], mergeNames: Set<string>): Cluster {
  if (members.length === 1) return members[0] as Cluster;
  let best = members[0] as Cluster;
  let bestScore = -1;
  for (const m of members) {
    let score = mergeNames.has(normalKey(m.value)) ? 4 : 0;
    if (synonymsOf(m).some((s) => mergeNames.has(normalKey(s)))) score += 2;
    if (score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

function addNames(g: Group, names: string[], source: Source, cluster: string, mitreShort: string): void {
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    g.names.push({
      name,
      source,
      cluster,
      mitreName: source === "mitre-intrusion-set" && name === mitreShort,
    });
    g.keys.add(normalKey(name));
  }
}

function relatedIndex(ta: Cluster[], groupOf: Map<string, Group>): Map<string, Set<Group>> {
  // Relations are recorded on either side; index both directions by the secondary cluster's uuid.
  const index = new Map<string, Set<Group>>();
  for (const c of ta) {
    const g = groupOf.get(c.uuid);
    if (!g) continue;
    for (const r of c.related ?? []) {
      const set = index.get(r["dest-uuid"]) ?? new Set<Group>();
      set.add(g);
      index.set(r["dest-uuid"], set);
    }
  }
  return index;
}

function bestGroup(
  c: Cluster,
  names: string[],
  short: string,
  groups: Group[],
  groupOf: Map<string, Group>,
  related: Map<string, Set<Group>>,
): Group | undefined {
  const keys = names.map(normalKey);
  const shortKey = normalKey(short);
  const rel = new Set(related.get(c.uuid) ?? []);
  for (const r of c.related ?? []) {
    const g = groupOf.get(r["dest-uuid"]);
    if (g) rel.add(g);
  }
  let best: Group | undefined;
  let bestRank: number[] = [];
  for (const g of groups) {
    const overlap = keys.filter((k) => g.keys.has(k)).length;
    if (overlap === 0 && !rel.has(g)) continue;
    const canonKeys = [normalKey(g.id), ...g.merged.map((m) => normalKey(m.id))];
    const canonPos = keys.findIndex((k) => canonKeys.includes(k));
    const score =
      (canonKeys.includes(shortKey) ? 4 : 0) +
      (g.keys.has(shortKey) ? 2 : 0) +
      (rel.has(g) ? 1 : 0) +
      (canonPos >= 0 ? 1 : 0);
    if (score === 0 && overlap < 2) continue;
    const rank = [score, overlap, canonPos >= 0 ? -canonPos : -1000];
    if (!best || compareRank(rank, bestRank) > 0) {
      best = g;
      bestRank = rank;
    }
  }
  return best;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}
