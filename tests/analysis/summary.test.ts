// Summary rules: paragraph sentences only, 2-3 of them, at most 450 characters, no repeats, article order.

import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import type { Article } from "../../src/core/article.js";
import { analysisOf } from "../helpers/analysis.js";
import { articleFromMarkdown, gazetteer } from "./helpers.js";

const analyse = createAnalyser(gazetteer());

const STORY = `# Hackers hit port operators

## Breaking News From The Port Authority Of Somewhere Important

Chinese state-sponsored hackers known as APT40 broke into the networks of three Australian port operators, officials said on Tuesday.

The intrusions began in March, when the hackers exploited a flaw in a file transfer appliance used by the ports.

The Australian Signals Directorate said the group stole shipping schedules and security plans from the port operators.

Chinese state-sponsored hackers known as APT40 broke into the networks of three Australian port operators, officials said on Tuesday.

Separately, the weather was mild and a local football team won its match.

Officials said the ports kept operating throughout and no cargo was lost.`;

describe("summary", () => {
  const article = articleFromMarkdown(STORY);
  const { summary } = analyse(article);
  const sentences = summary.split(/(?<=\.)\s+/);

  it("picks 2-3 sentences within 450 characters", () => {
    expect(summary.length).toBeLessThanOrEqual(450);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(3);
  });

  it("never uses a heading and never repeats a sentence", () => {
    expect(summary).not.toContain("Breaking News");
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(summary.match(/APT40 broke into/g)?.length).toBe(1);
  });

  it("keeps article order and prefers central sentences naming the tagged entities", () => {
    expect(sentences[0]).toMatch(/^Chinese state-sponsored hackers known as APT40/);
    expect(summary).not.toContain("football");
    const positions = sentences.map((s) => article.body.indexOf(s));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("is deterministic", () => {
    expect(analyse(articleFromMarkdown(STORY))).toEqual(analyse(articleFromMarkdown(STORY)));
  });

  it("copes with empty, heading-only and one-long-sentence articles", () => {
    const empty: Article = { ...article, title: "", blocks: [], body: "" };
    const { signatures, ...rest } = analyse(empty);
    // Nothing tagged, no summary: the empty analysis.
    expect(rest).toEqual(analysisOf());
    // An empty text has an empty signature: it shares no band key, so it is never taken for a copy.
    expect(signatures?.signature.every((x) => x === 0xffffffff)).toBe(true);
    const headings = articleFromMarkdown("# T\n\n## Only A Heading");
    expect(analyse(headings).summary).toBe("");
    const long = `${"The agency said that the hackers had been inside the network for months and ".repeat(8)}left.`;
    const out = analyse(articleFromMarkdown(`# T\n\n${long}`)).summary;
    expect(out.length).toBeLessThanOrEqual(450);
    expect(out.endsWith("…")).toBe(true);
  });
});
