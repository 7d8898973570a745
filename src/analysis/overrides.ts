// Local overrides (config/actors.overrides.json): add aliases, add actors, suppress aliases; merged at load.

import { existsSync, readFileSync } from "node:fs";
import { classifyAlias, englishWords } from "./classify.js";
import { schemeOf } from "./schemes.js";
import { normalKey } from "./token-keys.js";
import type { ActorRecord, AliasRecord } from "./types.js";

export interface Overrides {
  addActors: { id: string; sponsor?: string | null; attackId?: string | null; aliases?: string[] }[];
  addAliases: Record<string, string[]>;
  suppress: string[];
}

const EMPTY: Overrides = { addActors: [], addAliases: {}, suppress: [] };

export function readOverrides(path: string | undefined): Overrides {
  if (!path || !existsSync(path)) return EMPTY;
  const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<Overrides>;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === "string") : []);
  const addAliases: Record<string, string[]> = {};
  for (const [id, list] of Object.entries(raw.addAliases ?? {})) addAliases[id] = strings(list);
  return {
    addActors: (Array.isArray(raw.addActors) ? raw.addActors : []).filter((a) => typeof a?.id === "string"),
    addAliases,
    suppress: strings(raw.suppress),
  };
}

/** Applies overrides to a copy of the actor list. Override aliases take the alias away from any other actor. */
export function applyOverrides(actors: ActorRecord[], o: Overrides): ActorRecord[] {
  if (o.addActors.length === 0 && Object.keys(o.addAliases).length === 0 && o.suppress.length === 0)
    return actors;
  const out = actors.map((a) => ({ ...a, aliases: [...a.aliases] }));
  const byKey = new Map<string, ActorRecord>();
  if (o.addActors.length > 0 || Object.keys(o.addAliases).length > 0) {
    for (const a of out) {
      byKey.set(normalKey(a.id), a);
      for (const al of a.aliases) if (!byKey.has(normalKey(al.name))) byKey.set(normalKey(al.name), a);
    }
  }
  const added: [ActorRecord, string][] = [];
  for (const def of o.addActors) {
    let actor = byKey.get(normalKey(def.id));
    if (!actor) {
      actor = {
        id: def.id,
        uuid: `override:${def.id}`,
        attackId: null,
        sponsor: null,
        origin: "override",
        aliases: [],
      };
      out.push(actor);
      byKey.set(normalKey(def.id), actor);
      added.push([actor, def.id]);
    }
    if (def.sponsor !== undefined) actor.sponsor = def.sponsor ? def.sponsor.toUpperCase() : null;
    if (def.attackId !== undefined) actor.attackId = def.attackId;
    for (const alias of def.aliases ?? []) added.push([actor, alias]);
  }
  for (const [id, aliases] of Object.entries(o.addAliases)) {
    const actor = byKey.get(normalKey(id));
    if (!actor) throw new Error(`actors.overrides: no actor "${id}" to add aliases to`);
    for (const alias of aliases) added.push([actor, alias]);
  }
  if (added.length > 0) {
    const words = englishWords();
    const takenKeys = new Set(added.map(([, alias]) => normalKey(alias)));
    for (const a of out) a.aliases = a.aliases.filter((al) => !takenKeys.has(normalKey(al.name)));
    for (const [actor, alias] of added) {
      const scheme = schemeOf(alias, false);
      const record: AliasRecord = {
        name: alias,
        sources: ["override"],
        scheme,
        ...classifyAlias(alias, words, scheme),
      };
      if (!actor.aliases.some((al) => normalKey(al.name) === normalKey(alias))) actor.aliases.push(record);
    }
  }
  // Suppressions compare keys: the compiled data's precomputed ones (override aliases are tokenised here). A
  // lowercase comparison first spares tokenising the rest.
  const suppressed = new Set(o.suppress.map(normalKey));
  const loose = new Set(o.suppress.map((s) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")));
  if (suppressed.size > 0) {
    const gone = (al: AliasRecord): boolean =>
      al.key !== undefined
        ? suppressed.has(al.key)
        : loose.has(al.name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")) &&
          suppressed.has(normalKey(al.name));
    for (const a of out) a.aliases = a.aliases.filter((al) => !gone(al));
  }
  return out;
}
