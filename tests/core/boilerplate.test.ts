// Boilerplate rules shared by titles and summaries: datelines, bylines, page furniture, clause boundaries.

import { describe, expect, it } from "vitest";
import { titleFromBody } from "../../src/core/article-text.js";
import { clauseCut, cutAtWord, datelineLength, isBoilerplate } from "../../src/core/boilerplate.js";

const undated = (text: string) => text.slice(datelineLength(text));

describe("boilerplate", () => {
  it("drops datelines and source tags at the start of a sentence", () => {
    expect(undated("LONDON (Reuters) - Hackers struck.")).toBe("Hackers struck.");
    expect(undated("WASHINGTON, March 3 (AP) — Hackers struck.")).toBe("Hackers struck.");
    expect(undated("(MENAFN- AzerNews) Azerbaijan's ministry was hit.")).toBe(
      "Azerbaijan's ministry was hit.",
    );
    expect(undated("WELLINGTON — The GCSB said so.")).toBe("The GCSB said so.");
    expect(undated("The GCSB said so - twice.")).toBe("The GCSB said so - twice.");
    expect(undated("APT40 (also Leviathan) hit ports.")).toBe("APT40 (also Leviathan) hit ports.");
  });

  it("knows bylines, credits and page furniture, and leaves news about cookies alone", () => {
    for (const text of [
      "By Jane Doe",
      "By Jane Doe and John Roe, Reuters",
      "Read more: how hackers stole the files.",
      "Sign up for our newsletter.",
      "We use cookies to improve your experience.",
      "Copyright 2024 Example News. All rights reserved.",
      "Photo: Jane Doe/Getty Images",
      "© 2024 Example",
    ])
      expect(isBoilerplate(text), text).toBe(true);
    for (const text of [
      "The hackers stole session cookies from the browsers of staff.",
      "By exploiting a flaw in the VPN, the hackers got in.",
      "Officials said more attacks would follow.",
    ])
      expect(isBoilerplate(text), text).toBe(false);
  });

  it("cuts at clause boundaries and words, never inside a word", () => {
    const text = "The agency said the hackers, who work for China, stole plans and copied mail for months";
    expect(text.slice(0, clauseCut(text, 60))).toBe(
      "The agency said the hackers, who work for China, stole plans",
    );
    expect(text.slice(0, clauseCut(text, 60, 10, true))).toBe("The agency said the hackers");
    expect(cutAtWord(text, 30)).toBe("The agency said the hackers…");
    expect(cutAtWord("x".repeat(50), 20).length).toBeLessThanOrEqual(20);
  });

  it("titles a body by its lead clause, skipping bylines and datelines", () => {
    const title = titleFromBody([
      { kind: "paragraph", text: "By Jane Doe, Reuters" },
      {
        kind: "paragraph",
        text: "BERLIN (Reuters) - On Monday, German prosecutors charged three men with spying for China's intelligence service after a two-year investigation into stolen defence research. More followed.",
      },
    ]);
    expect(title).toBe("German prosecutors charged three men with spying for China's intelligence service");
    expect(title.length).toBeLessThanOrEqual(90);
  });
});
