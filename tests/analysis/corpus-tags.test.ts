// Sectors, malware and CVE ids of the real analyser over the hand-labelled corpus (labels-tags.yaml).

import { describe, expect, it } from "vitest";
import { loadCorpus, scoreCorpus } from "../../bench/labelled.js";
import { createAnalyser } from "../../src/analysis/index.js";
import { gazetteer } from "./helpers.js";

const KINDS = ["sectors", "malware", "cves"] as const;

describe("labelled corpus: sectors, malware and CVE ids", () => {
  const corpus = loadCorpus();
  const scores = scoreCorpus(createAnalyser(gazetteer()), corpus);
  console.log(
    KINDS.map((k) => scores[k]?.line(k) ?? `${k} not scored`)
      .concat(KINDS.flatMap((k) => (scores[k]?.errors ?? []).map((e) => `  ${k} ${e}`)))
      .join("\n"),
  );

  it("labels every article with sectors, malware and CVE ids", () => {
    const unlabelled = corpus.filter((a) => !a.label.sectors || !a.label.malware || !a.label.cves);
    expect(unlabelled.map((a) => a.name)).toEqual([]);
    expect(corpus.length).toBeGreaterThanOrEqual(80);
  });

  it("tags sectors with precision and recall of at least 0.95", () => {
    expect(scores.sectors?.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.sectors?.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("tags malware with precision and recall of at least 0.95", () => {
    expect(scores.malware?.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.malware?.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("finds every CVE id and nothing else", () => {
    expect(scores.cves?.errors).toEqual([]);
    expect(scores.cves?.precision).toBe(1);
    expect(scores.cves?.recall).toBe(1);
  });
});
