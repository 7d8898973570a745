// The candidate walk is only a speed-up: every scanner finds the same as when it walks every token.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Candidates, FirstTokens, MALWARE, NAME } from "../../src/analysis/candidates.js";
import { CyberScan, CyberVocabulary } from "../../src/analysis/cyber.js";
import { findMalware } from "../../src/analysis/malware-tagger.js";
import { SectorScan } from "../../src/analysis/sector-scan.js";
import { SectorVocabulary } from "../../src/analysis/sectors.js";
import { tokenize } from "../../src/analysis/tokenizer.js";
import type { Match } from "../../src/analysis/trie.js";
import { gazetteer } from "./helpers.js";

// Names, terms and phrases of every scanner, their near misses, and the gaps that join or split them.
const WORDS = [
  "APT40",
  "apt 40",
  "Kryptonite Panda",
  "Sandworm",
  "the Dukes",
  "China's",
  "Chinese",
  "Beijing",
  "U.S.",
  "New Zealand",
  "PlugX",
  "LockBit ransomware",
  "Emotet",
  "Pony loader",
  "Cobalt Strike",
  "breach",
  "breach of contract",
  "zero-day",
  "zero day",
  "CVE-2024-3400",
  "cve 2024",
  "phishing",
  "hackers",
  "cyber",
  "attacked",
  "targeted",
  "hospital",
  "hospitals",
  "the energy sector",
  "power grid",
  "government",
  "ministry said",
  "military intelligence",
  "water utility",
  "banks",
  "telecom",
  "the",
  "group",
  "said",
  "and",
  "of",
  "New",
  "Group",
  "3",
  "-",
  ".",
  ",",
  "!",
  "\n",
  "\n\n",
  "’s",
  "'",
];

const text = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(" ", "", "-", "  ", ". ", ", ")), {
    maxLength: 60,
  })
  .map((parts) => parts.map(([w, gap]) => w + gap).join(""));

describe("the candidate walk", () => {
  const index = gazetteer().index;
  const cyber = new CyberVocabulary();
  const sectors = new SectorVocabulary();
  const first = new FirstTokens();
  index.trie.markFirstTokens(first, NAME);
  index.malware.trie.markFirstTokens(first, MALWARE);
  cyber.markFirstTokens(first);
  sectors.markFirstTokens(first);

  it("finds the same names, malware, cyber terms and sectors as walking every token", () => {
    fc.assert(
      fc.property(text, (s) => {
        const t = tokenize(s);
        const candidates = first.walk(t, new Candidates());
        const names = (m: Match<unknown>[]) => m.map((x) => [x.first, x.last, x.entries.length]);
        expect(names(index.trie.matchCandidates(t, candidates, NAME, []))).toEqual(
          names(index.trie.matchAll(t)),
        );
        expect(findMalware(index.malware, t, 0, new Set(), candidates)).toEqual(
          findMalware(index.malware, t, 0, new Set()),
        );
        const [a, b] = [new CyberScan(), new CyberScan()];
        cyber.scan(t, 0, a, candidates);
        cyber.scan(t, 0, b);
        expect([a.score, a.evidence, a.cves]).toEqual([b.score, b.evidence, b.cves]);
        const [c, d] = [new SectorScan(), new SectorScan()];
        sectors.scan(t, 0, c, candidates);
        sectors.scan(t, 0, d);
        expect(c.tags()).toEqual(d.tags());
      }),
      { numRuns: 300 },
    );
  });

  it("tells the tokenizer's caller when a text may hold a format character, and never misses one", () => {
    const chars = fc.constantFrom(
      "a",
      "B",
      " ",
      "1",
      "\u200b",
      "\u00ad",
      "\ufeff",
      "\u202e",
      "é",
      "’",
      "😀",
      "\u{e0041}",
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 20 }), (list) => {
        const s = list.join("");
        if (/\p{Cf}/u.test(s)) expect(tokenize(s).format).toBe(true);
        if ([...s].every((c) => c.charCodeAt(0) < 128)) expect(tokenize(s).format).toBe(false);
      }),
    );
  });
});
