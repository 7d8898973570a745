// sameEvent on a few labelled pairs (the bench measures the whole set), and the set itself reaching its targets.

import { describe, expect, it } from "vitest";
import { judge, loadFacts, loadPairs } from "../../bench/cluster-set.js";
import { type EventFacts, sameEvent, sameEventScore } from "../../src/analysis/same-event.js";
import { gazetteer } from "./helpers.js";

const facts = loadFacts(gazetteer());
const get = (id: string): EventFacts => {
  const f = facts.get(id);
  if (!f) throw new Error(`no fixture ${id}`);
  return f;
};
const judgeIds = (a: string, b: string) => sameEvent(get(a), get(b));

describe("sameEvent", () => {
  it("merges a wire copy with other boilerplate as a near-copy", () => {
    const r = judgeIds("e01-apt40-nz-a", "e01-apt40-nz-b");
    expect(r.same).toBe(true);
    expect(r.reasons[0]).toMatch(/^near-copy \(\d+% of text shared\)$/);
  });

  it("merges another outlet's report and a follow-up two days later, saying why", () => {
    const other = judgeIds("e01-apt40-nz-a", "e01-apt40-nz-c");
    expect(other.same).toBe(true);
    expect(other.reasons).toContain("same actor APT40");
    expect(other.reasons).toContain("same day");
    const follow = judgeIds("e01-apt40-nz-a", "e01-apt40-nz-d");
    expect(follow.same).toBe(true);
    expect(follow.reasons).toContain("2 days apart");
  });

  it("keeps the same actor's stories months apart separate (time decay)", () => {
    const r = judgeIds("e01-apt40-nz-a", "e02-apt40-advisory-a");
    expect(r.same).toBe(false);
    expect(r.reasons).toEqual(["119 days apart"]);
    // The same follow-up text dated eight days later no longer merges.
    const late = { ...get("e01-apt40-nz-d"), date: "2024-03-20" };
    expect(sameEvent(get("e01-apt40-nz-a"), late).same).toBe(false);
  });

  it("favours precision: same actor, same week, different story stays apart", () => {
    expect(judgeIds("e15-kitten-israel-a", "e16-kitten-android-a").same).toBe(false);
    expect(judgeIds("e11-vpn-cve-a", "e12-vpn-cve-ransom-a").same).toBe(false);
  });

  it("does not merge similar text without shared tags, nor texts naming different actors", () => {
    const a = get("e01-apt40-nz-a");
    const c = get("e01-apt40-nz-c");
    expect(
      sameEvent({ ...a, actors: [], countries: [] }, { ...c, actors: [], countries: [] }).reasons,
    ).toContain("no shared tags");
    expect(sameEvent(a, { ...c, actors: ["APT41"] }).same).toBe(false);
  });

  it("decides every labelled pair, and every pair of fixtures, the same way without its reasons", () => {
    const all = [...facts.values()];
    let same = 0;
    for (const a of all) {
      for (const b of all) {
        const full = sameEvent(a, b);
        const fast = sameEventScore(a, b);
        expect(fast.same).toBe(full.same);
        if (full.same) {
          expect(fast.score).toBe(full.score);
          same++;
        }
      }
    }
    // Both kinds of pair occur, so the comparison covers the merge and the refusal paths.
    expect(same).toBeGreaterThan(all.length);
    expect(same).toBeLessThan(all.length * all.length);
  });

  it("reaches precision ≥ 0.95 and recall ≥ 0.90 on the labelled set", () => {
    const pairs = loadPairs();
    expect(pairs.length).toBeGreaterThanOrEqual(40);
    const { score } = judge(facts, pairs);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.9);
  });
});
