// The article the analysis worker sends without its blocks comes back whole: the same blocks, kinds and text.

import { describe, expect, it } from "vitest";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { fromWire, toWire } from "../../src/ingest/wire.js";

const TEXT = [
  "title: Hackers breach a parliament",
  "",
  "Hackers linked to APT40 breached the network,",
  "officials said on Tuesday.",
  "",
  "What happened next",
  "",
  "The agency\u00a0said   more  would follow.",
  "",
  "## Background",
  "",
  "It was the second breach this year.",
].join("\n");

describe("the worker's article without blocks", () => {
  it("gives back the reader's blocks, headings included, and everything else as it was", () => {
    const article = readArticle(Buffer.from(TEXT), { path: "/seeds/a.txt", mtimeMs: 0 });
    if (isRejected(article)) throw new Error("expected an article");
    expect(article.blocks.filter((b) => b.kind === "heading")).toHaveLength(2);
    const wire = toWire(article);
    expect(wire).not.toHaveProperty("blocks");
    expect(wire.headings).toEqual([1, 3]);
    const back = fromWire(structuredClone(wire));
    expect(back.blocks).toEqual(article.blocks);
    expect(back).toEqual(article);
    expect({ ...back }).toEqual(article);
  });
});
