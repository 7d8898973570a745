// Micro precision and recall of the real analyser over the hand-labelled corpus (bench/labelled.ts scores it).

import { describe, expect, it } from "vitest";
import { loadCorpus, scoreCorpus } from "../../bench/labelled.js";
import { createAnalyser } from "../../src/analysis/index.js";
import { gazetteer } from "./helpers.js";

describe("labelled corpus", () => {
  const corpus = loadCorpus();
  const scores = scoreCorpus(createAnalyser(gazetteer()), corpus);
  console.log(
    [`corpus: ${corpus.length} articles`, ...Object.entries(scores).map(([kind, s]) => s.line(kind))]
      .concat(Object.entries(scores).flatMap(([kind, s]) => s.errors.map((e) => `  ${kind} ${e}`)))
      .join("\n"),
  );

  it("has at least 40 labelled articles", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it("tags actors with precision and recall of at least 0.97", () => {
    expect(scores.actors?.precision).toBeGreaterThanOrEqual(0.97);
    expect(scores.actors?.recall).toBeGreaterThanOrEqual(0.97);
  });

  it("tags countries with precision and recall of at least 0.95", () => {
    expect(scores.countries?.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.countries?.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("finds sponsor countries (blamed, not nationality) with precision and recall of at least 0.95", () => {
    expect(scores.sponsors?.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.sponsors?.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("finds target countries with precision and recall of at least 0.95", () => {
    // Victims named without their country ("the Electoral Commission") count for the article's home country.
    expect(scores.targets?.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.targets?.recall).toBeGreaterThanOrEqual(0.95);
  });
});
