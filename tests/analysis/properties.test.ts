// Property checks over generated articles: never throws, evidence points into the body, summary limits hold.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import type { Article, Block } from "../../src/core/article.js";
import { articleOf, gazetteer } from "./helpers.js";

const analyse = createAnalyser(gazetteer());

const WORDS = [
  "APT40",
  "apt-40",
  "Kryptonite Panda",
  "Leviathan",
  "Sandworm",
  "U.S.",
  "UK",
  "China's",
  "Chinese",
  "Beijing",
  "the",
  "hackers",
  "said",
  "group",
  "Mr.",
  "3.5",
  "“quoted”",
  "Türkiye",
  "Papua New Guinea",
  "Georgia",
  ",",
  "Jordan",
  "GCSB",
  "New",
  "Zealand",
  "Atlanta,",
  "🙂",
  "北京",
  "state-sponsored",
  "backed",
  "by",
  "Moscow",
  "Kremlin",
  "-",
  "'s",
  "...",
  "?",
  "!",
  "\u00a0",
  "Storm-0558",
  "G0065",
  "of",
  "in",
  "Cobalt",
  "Strike",
];

const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 30 })
  .map((ws) => `${ws.join(" ")}.`);
const block = fc.record({
  kind: fc.constantFrom<Block["kind"]>("heading", "paragraph", "paragraph", "paragraph"),
  text: fc.array(sentence, { minLength: 1, maxLength: 6 }).map((ss) => ss.join(" ")),
});
const article = fc
  .record({ title: sentence, blocks: fc.array(block, { maxLength: 8 }) })
  .map(({ title, blocks }): Article => articleOf("/prop.txt", title, blocks));

describe("analyser properties", () => {
  it("keeps its promises on arbitrary articles", () => {
    fc.assert(
      fc.property(article, (a) => {
        const result = analyse(a);
        expect(result.summary.length).toBeLessThanOrEqual(450);
        for (const b of a.blocks) {
          if (
            b.kind === "heading" &&
            b.text.length > 0 &&
            !a.blocks.some((p) => p.kind === "paragraph" && p.text.includes(b.text))
          ) {
            expect(result.summary.includes(b.text)).toBe(false);
          }
        }
        for (const tag of [...result.actors, ...result.countries]) {
          expect(tag.matched.length).toBeGreaterThan(0);
          for (const e of tag.matched) {
            if (e.offset >= 0) expect(a.body.slice(e.offset, e.offset + e.text.length)).toBe(e.text);
            else expect(a.title).toContain(e.text);
          }
        }
        const firstOffsets = result.countries.map((c) => c.matched[0]?.offset ?? 0);
        expect([...firstOffsets].sort((x, y) => x - y)).toEqual(firstOffsets);
        expect(analyse(a)).toEqual(result);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
