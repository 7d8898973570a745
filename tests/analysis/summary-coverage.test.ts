// Summaries name who did what to whom: actors, blamed countries and targets on the labelled corpus.

import { describe, expect, it } from "vitest";
import { loadCorpus, SUMMARY_DIR, summaryCoverage } from "../../bench/labelled.js";
import { createAnalyser } from "../../src/analysis/index.js";
import { gazetteer } from "./helpers.js";

describe("summary coverage on the labelled corpus and the summary fixtures", () => {
  const corpus = [...loadCorpus(), ...loadCorpus(SUMMARY_DIR)];
  const coverage = summaryCoverage(createAnalyser(gazetteer()), corpus);
  if (coverage.misses.length > 0) console.log(`summary misses:\n${coverage.misses.join("\n")}`);

  it("names an actor of at least 95% of the actor stories", () => {
    expect(coverage.actorStories).toBeGreaterThanOrEqual(40);
    expect(coverage.actorCovered / coverage.actorStories).toBeGreaterThanOrEqual(0.95);
  });

  it("names at least 90% of all labelled actors, blamed countries and targets", () => {
    expect(coverage.entitiesNamed / coverage.entities).toBeGreaterThanOrEqual(0.9);
  });

  it("gives each article the same summary whatever the analyser read before (no state leaks between calls)", () => {
    const shared = createAnalyser(gazetteer());
    const forward = corpus.map((x) => shared(x.article).summary);
    const backward = [...corpus]
      .reverse()
      .map((x) => shared(x.article).summary)
      .reverse();
    expect(backward).toEqual(forward);
  });
});
