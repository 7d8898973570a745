// Sentence splitting around abbreviations, initials, decimals and quotes.

import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/analysis/index.js";
import { createSpans, tokenSentences } from "../../src/analysis/splitter.js";
import { createTokens, tokenize } from "../../src/analysis/tokenizer.js";
import type { Block } from "../../src/core/article.js";

const split = (text: string) => splitSentences(text).map((s) => s.text);

describe("splitSentences", () => {
  it("splits plain sentences and keeps offsets", () => {
    const text = "One sentence here. Another one! A third?";
    const out = splitSentences(text);
    expect(out.map((s) => s.text)).toEqual(["One sentence here.", "Another one!", "A third?"]);
    for (const s of out) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it("does not split after U.S., U.K., Mr. or Jan. inside a sentence", () => {
    expect(split("U.S. officials met U.K. diplomats on Jan. 5 with Mr. Smith. They agreed.")).toEqual([
      "U.S. officials met U.K. diplomats on Jan. 5 with Mr. Smith.",
      "They agreed.",
    ]);
  });

  it("splits after U.S. when a new sentence clearly starts", () => {
    expect(split("The hackers targeted the U.S. The agency responded.")).toEqual([
      "The hackers targeted the U.S.",
      "The agency responded.",
    ]);
  });

  it("keeps decimals, initials and e.g. together", () => {
    expect(split("Losses reached $3.5 million, said J. R. Hartley, e.g. in Wales. Then it ended.")).toEqual([
      "Losses reached $3.5 million, said J. R. Hartley, e.g. in Wales.",
      "Then it ended.",
    ]);
  });

  it("keeps closing quotes with their sentence and does not split inside a quote", () => {
    expect(split('"We are ready." The minister left. "Is it over?" she asked.')).toEqual([
      '"We are ready."',
      "The minister left.",
      '"Is it over?" she asked.',
    ]);
  });
});

describe("tokenSentences (the summary's splitter, from the body tokens)", () => {
  const texts = [
    "One sentence here. Another one! A third?",
    "U.S. officials met U.K. diplomats on Jan. 5 with Mr. Smith. They agreed.",
    "The hackers targeted the U.S. The agency responded.",
    "Losses reached $3.5 million, said J. R. Hartley, e.g. in Wales. Then it ended.",
    '"We are ready." The minister left. "Is it over?" she asked.',
  ];
  it("finds the sentences splitSentences finds, paragraph by paragraph, never in a heading", () => {
    const blocks: Block[] = [
      { kind: "heading", text: "A Heading. With A Dot" },
      ...texts.map((text) => ({ kind: "paragraph" as const, text })),
    ];
    const body = blocks.map((b) => b.text).join("\n\n");
    const spans = tokenSentences(tokenize(body, createTokens(16)), blocks, createSpans(2));
    const got = Array.from({ length: spans.n }, (_, i) => body.slice(spans.start[i], spans.end[i]));
    expect(got).toEqual(texts.flatMap(split));
  });
});
