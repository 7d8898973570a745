// The seed article shipped with the project: tags and summary the issue fixes.

import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import { gazetteer, seedArticle } from "./helpers.js";

describe("seed article", () => {
  const article = seedArticle();
  const result = createAnalyser(gazetteer())(article);

  it("tags exactly APT40 and APT31", () => {
    expect(result.actors.map((a) => a.id).sort()).toEqual(["APT31", "APT40"]);
    expect(result.actors.find((a) => a.id === "APT40")).toMatchObject({ attackId: "G0065", sponsor: "CN" });
  });

  it("tags Australia, New Zealand, China and the United Kingdom, with China as sponsor", () => {
    const codes = result.countries.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(["AU", "NZ", "CN", "GB"]));
    expect(result.countries.filter((c) => c.roles.includes("sponsor")).map((c) => c.code)).toEqual(["CN"]);
    const nz = result.countries.find((c) => c.code === "NZ");
    expect(nz?.name).toBe("New Zealand");
    expect(nz?.matched.map((e) => e.text)).toContain("GCSB");
    for (const c of result.countries) {
      for (const e of c.matched)
        if (e.offset >= 0) expect(article.body.slice(e.offset, e.offset + e.text.length)).toBe(e.text);
    }
  });

  it("summarises in 2-3 sentences naming APT31, APT40, the blamed state and the victims, without headings", () => {
    const { summary } = result;
    expect(summary.length).toBeLessThanOrEqual(450);
    expect(summary).toContain("APT31");
    expect(summary).toContain("APT40");
    expect(summary).toMatch(/Australia/);
    expect(summary).toMatch(/New Zealand/);
    expect(summary).toMatch(/China/);
    // Sentences end in . ! ? or, when shortened at a clause boundary, in "…".
    const sentences = summary.split(/(?<=[.!?…])\s+(?=\p{Lu})/u);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(3);
    for (const b of article.blocks) if (b.kind === "heading") expect(summary).not.toContain(b.text);
  });
});
