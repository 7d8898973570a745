// Actor tags from trie matches: codenames count as they are; ordinary words need cyber context.

import type { Evidence } from "../core/article.js";
import { ADJACENT_CUES, CYBER_CUES, has } from "./cues.js";
import type { ActorEntry, Entry } from "./entries.js";
import { caseOk, nearby, properAfter, properBefore, surface, titleCased } from "./surface.js";
import { SENT, type Tokens } from "./tokenizer.js";
import type { Match } from "./trie.js";

export interface ActorHit {
  actor: number;
  first: number;
  last: number;
  evidence: Evidence;
  /** An alias of ordinary English words accepted through context, not by its shape: stands only in a cyber article. */
  weak: boolean;
}

const CUE_RADIUS = 12;

type Verdict = "strong" | "cued" | "pending" | "no";

function judge(t: Tokens, m: Match<Entry>, e: ActorEntry): Verdict {
  if (!caseOk(t, m.first, m.last, e.match)) return "no";
  if (e.context === "none" && !(e.ordinary && titleCased(t, m.first, m.last))) return "strong";
  // "Cobalt Strike", "South China Sea": an ordinary word inside a longer proper noun is not the actor.
  if (properAfter(t, m.last) && !has(ADJACENT_CUES, t, m.last + 1)) return "no";
  if (properBefore(t, m.first)) return "no";
  const adjacent = has(ADJACENT_CUES, t, m.first - 1) || has(ADJACENT_CUES, t, m.last + 1);
  if (adjacent) return "cued";
  if (e.context === "adjacent") return "pending";
  // A one-word alias opening a sentence is capitalised anyway, so its capital proves nothing.
  if (e.singleWord && ((t.flags[m.first] as number) & SENT) !== 0) return "pending";
  return nearby(t, m.first, m.last, CUE_RADIUS, CYBER_CUES) ? "cued" : "pending";
}

/**
 * Accepted actor mentions. `confirmed` carries actors already established elsewhere (the body, when
 * tagging the title); pending ordinary-word mentions count only for confirmed actors.
 */
export function tagActors(
  t: Tokens,
  matches: readonly Match<Entry>[],
  offsetBase: number,
  confirmed: Set<number>,
): ActorHit[] {
  const judged: [Match<Entry>, ActorEntry, Verdict][] = [];
  for (const m of matches) {
    for (const e of m.entries) {
      if (e.kind !== "actor") continue;
      const v = judge(t, m, e);
      if (v === "no") continue;
      judged.push([m, e, v]);
      if (v !== "pending") confirmed.add(e.actor);
    }
  }
  const hits: ActorHit[] = [];
  for (const [m, e, v] of judged) {
    if (v === "pending" && !confirmed.has(e.actor)) continue;
    const offset = offsetBase < 0 ? -1 : (t.start[m.first] as number) + offsetBase;
    hits.push({
      actor: e.actor,
      first: m.first,
      last: m.last,
      evidence: { text: surface(t, m.first, m.last), offset },
      weak: v !== "strong" && e.ordinary,
    });
  }
  return hits;
}
