import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.js";
import { isRejected, parseArticle, type Rejected, readArticle } from "../../src/ingest/reader.js";

const SEED = join(import.meta.dirname, "../../seeds/000_ab7ccafc986ab3a2.txt");
const facts = { path: "/seeds/a.txt", mtimeMs: Date.parse("2025-02-03T10:00:00Z") };

function read(text: string | Buffer): Article {
  const out = readArticle(typeof text === "string" ? Buffer.from(text) : text, facts);
  if (isRejected(out)) throw new Error(`rejected: ${out.rejected} ${out.detail}`);
  return out;
}
function reject(bytes: Buffer | string): Rejected {
  const out = readArticle(typeof bytes === "string" ? Buffer.from(bytes) : bytes, facts);
  if (!isRejected(out)) throw new Error("expected a rejection");
  return out;
}

describe("reading the seed format", () => {
  const seed = read(readFileSync(SEED));

  it("takes the date from the leading date line", () => {
    expect(seed.date).toBe("2024-03-25");
    expect(seed.dateEstimated).toBe(false);
  });

  it("keeps the three section headings as headings, in order", () => {
    expect(seed.blocks.filter((b) => b.kind === "heading").map((b) => b.text)).toEqual([
      "Global Backlash Against Chinese Cyber Espionage",
      "Unified Stand by Australia and New Zealand",
      "Implications and the Path Forward",
    ]);
  });

  it("keeps the paragraphs, starting after the date marker", () => {
    const paragraphs = seed.blocks.filter((b) => b.kind === "paragraph");
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs[0]?.text.startsWith("In an unprecedented move, Australia and New Zealand")).toBe(true);
    expect(seed.body).not.toContain("date 2024");
  });

  it("titles it with the lead clause, cut at a clause boundary within 90 characters", () => {
    expect(seed.title).toBe(
      "Australia and New Zealand have joined forces in denouncing the Chinese government",
    );
    expect(seed.title.length).toBeLessThanOrEqual(90);
  });
});

describe("other formats", () => {
  it("reads Markdown front matter: title, date, url and source", () => {
    const a = read(
      "---\ntitle: GCSB names APT40\ndate: 2024-03-26\nurl: https://example.org/a\nsource: Example News\n---\n# Background\n\nThe bureau said so.\n",
    );
    expect(a).toMatchObject({
      title: "GCSB names APT40",
      date: "2024-03-26",
      dateEstimated: false,
      url: "https://example.org/a",
      source: "Example News",
    });
    expect(a.blocks).toEqual([
      { kind: "heading", text: "Background" },
      { kind: "paragraph", text: "The bureau said so." },
    ]);
  });

  it("uses the file's mtime for text without a date and flags it as estimated", () => {
    const a = read("Hackers struck again. Nobody was surprised.\n");
    expect(a.date).toBe("2025-02-03");
    expect(a.dateEstimated).toBe(true);
    expect(a.title).toBe("Hackers struck again.");
  });

  it("takes a standalone first line as the title", () => {
    const a = read(
      "Kremlin-linked hackers hit Dutch ports\n\nThe attack began on Monday. It lasted a week.\n",
    );
    expect(a.title).toBe("Kremlin-linked hackers hit Dutch ports");
    expect(a.blocks).toEqual([{ kind: "paragraph", text: "The attack began on Monday. It lasted a week." }]);
  });

  it("strips a BOM, normalises to NFC and collapses whitespace", () => {
    const a = read(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from("Cafe\u0301   hackers\tstrike\n  again today.\n"),
      ]),
    );
    expect(a.body).toBe("Café hackers strike again today.");
  });

  it("falls back to an estimated date when the date line is impossible", () => {
    const a = read("date 2024-02-31 Something happened in the capital today.\n");
    expect(a.dateEstimated).toBe(true);
    expect(a.body).toBe("Something happened in the capital today.");
  });

  it("hashes normalised text, so whitespace-only edits are the same content", () => {
    expect(read("A  story about things.\n").contentHash).toBe(read("A story about things.").contentHash);
  });
});

describe("bad files are rejected with a reason", () => {
  it.each([
    ["empty", Buffer.alloc(0), "empty"],
    ["whitespace only", Buffer.from(" \n\t\n"), "empty"],
    ["NUL bytes", Buffer.from("abc\u0000def"), "binary"],
    ["random control bytes", Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 7) % 32)), "binary"],
    ["invalid UTF-8", Buffer.from([0x41, 0xc3, 0x28, 0x42]), "invalid-utf8"],
    ["truncated UTF-8", Buffer.from([0x41, 0xe2, 0x82]), "invalid-utf8"],
    ["broken front matter", Buffer.from("---\ntitle: [unclosed\n---\nText.\n"), "bad-front-matter"],
    ["front matter only", Buffer.from("---\ntitle: x\n---\n"), "no-text"],
  ])("%s", (_name, bytes, reason) => {
    expect(reject(bytes).rejected).toBe(reason);
  });

  it("refuses deeply nested flow collections unread (the parser's time would grow exponentially)", () => {
    const nested = (n: number) => Buffer.from(`---\na: ${"{".repeat(n)}${"}".repeat(n)}\n---\nText.\n`);
    const bomb = reject(nested(400));
    expect(bomb).toEqual({
      rejected: "bad-front-matter",
      detail: "front matter nests [ ] or { } deeper than 32 levels; use plain key: value lines",
    });
    // Within the limit the parser decides, as for any front matter ("{}" keys make a map with an odd key).
    expect(reject(nested(33)).detail).toContain("deeper than 32");
    expect(readArticle(nested(32), facts)).not.toHaveProperty("detail", bomb.detail);
  });

  it("says where invalid UTF-8 starts", () => {
    expect(reject(Buffer.from([0x41, 0x42, 0xff])).detail).toContain("offset 2");
  });

  it("parseArticle never throws on odd text", () => {
    for (const text of ["---", "---\n---", "date", "date 2024-01-01", "#", "\n\n\n.", "title:"]) {
      expect(() => parseArticle(text, facts)).not.toThrow();
    }
  });
});
