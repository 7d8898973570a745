// Through the real reader: a file without a title line gets its lead clause as title, and the summary names
// the actors, the blamed state and the victims without repeating the title or quoting page furniture.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import type { Article } from "../../src/core/article.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { gazetteer } from "./helpers.js";

const analyse = createAnalyser(gazetteer());
const SEED = join(import.meta.dirname, "../../seeds/000_ab7ccafc986ab3a2.txt");

function read(text: string | Buffer, path = "/seeds/plain.txt"): Article {
  const out = readArticle(typeof text === "string" ? Buffer.from(text) : text, { path, mtimeMs: 0 });
  if (isRejected(out)) throw new Error(`rejected: ${out.detail}`);
  return out;
}

const sentences = (summary: string): string[] => summary.split(/(?<=[.!?…])\s+(?=[\p{Lu}"“(])/u);

const PLAIN = `By Jane Doe

LONDON (Reuters) - Britain's National Cyber Security Centre said on Tuesday that hackers working for Chinese state intelligence had spent two years inside the networks of a dozen local councils, stealing planning documents and staff records.

The agency said the intrusions began in 2022 through an unpatched remote access gateway used by several councils, and that the hackers moved quietly between systems for months.

Investigators linked the operation to the group tracked as Volt Typhoon, which Microsoft and the NCSC have tied to Beijing.

Read more about Chinese hacking of British councils and Volt Typhoon in our cyber security coverage.

We use cookies to improve your experience of our cyber security news and Volt Typhoon coverage.

Photo: Reuters/Jane Doe. All rights reserved.
`;

describe("a plain .txt file without a title line", () => {
  const article = read(PLAIN);
  const { summary, actors } = analyse(article);

  it("is titled with its lead clause: no dateline, cut at a clause boundary, at most 90 characters", () => {
    expect(article.title).toBe("Britain's National Cyber Security Centre said on Tuesday");
    expect(article.title.length).toBeLessThanOrEqual(90);
    expect(article.title).not.toMatch(/…$/);
  });

  it("summarises without repeating the title and without datelines, bylines or page furniture", () => {
    expect(actors.map((a) => a.id)).toContain("Volt Typhoon");
    expect(summary).not.toContain(article.title);
    for (const furniture of ["LONDON", "Reuters", "Jane Doe", "Read more", "cookies", "rights reserved"])
      expect(summary).not.toContain(furniture);
  });

  it("names the actor within three sentences and 450 characters", () => {
    expect(summary).toContain("Volt Typhoon");
    expect(summary.length).toBeLessThanOrEqual(450);
    expect(sentences(summary).length).toBeLessThanOrEqual(3);
  });
});

describe("the seed article through the reader", () => {
  const article = read(readFileSync(SEED), SEED);
  const { summary } = analyse(article);

  it("names APT31 and APT40, the blamed state and the victims", () => {
    expect(summary).toContain("APT31");
    expect(summary).toContain("APT40");
    expect(summary).toMatch(/China|Chinese/);
    expect(summary).toMatch(/New Zealand/);
    expect(summary).toMatch(/UK|United Kingdom/);
  });

  it("keeps to three sentences in article order, 450 characters, no headings, no repeat of the title", () => {
    expect(summary.length).toBeLessThanOrEqual(450);
    const parts = sentences(summary);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.length).toBeLessThanOrEqual(3);
    const positions = parts.map((s) => article.body.indexOf(s.replace(/…$/u, "")));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const b of article.blocks) if (b.kind === "heading") expect(summary).not.toContain(b.text);
    expect(summary).not.toContain(article.title);
  });
});
