// Invisible format characters (zero-width space and joiner, bidi overrides, soft hyphen, BOM) are removed the
// same way from article text, titles, summaries and commands, so `ap\u200Bt40` finds APT40 everywhere and no
// title can reverse its text.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.js";
import { normaliseText, stripFormat } from "../../src/core/text.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { articleFromMarkdown } from "../analysis/helpers.js";
import { command, filledStore } from "../helpers/filled-store.js";
import { analyse, ingestBed } from "../helpers/ingest.js";

const ZWSP = "\u200B";
const ZWJ = "\u200D";
const RLO = "\u202E";
const PDF = "\u202C";
const INVISIBLE = /\p{Cf}/u;

describe("invisible characters", () => {
  it("are removed by one shared function, with emoji flags and skin tones kept", () => {
    expect(stripFormat(`ap${ZWSP}t40`)).toBe("apt40");
    expect(stripFormat(`Kryp${ZWJ}tonite\u00ADPanda\u2060`)).toBe("KryptonitePanda");
    expect(stripFormat(`${RLO}txt.exe${PDF}\u2066x\u2069`)).toBe("txt.exex");
    // Regional-indicator flags, variation selectors and skin tones are not format characters.
    expect(normaliseText("🇳🇿 🛰️ 👍🏽")).toBe("🇳🇿 🛰️ 👍🏽");
    // A ZWJ family falls apart into its members, which is fine: nothing is lost that a reader needs.
    expect(stripFormat(`👨${ZWJ}👩${ZWJ}👧`)).toBe("👨👩👧");
    expect(normaliseText(`cafe${ZWSP}\u0301`)).toBe("café");
  });

  it("never reach a stored title, body or summary, and a split name is still tagged", async () => {
    const text = [
      `---\ntitle: "${RLO}Hackers linked to ap${ZWSP}t40 hit a ministry${PDF}"\n---`,
      `Hackers linked to ap${ZWSP}t40 and Kryp${ZWJ}tonite Panda broke into a New${ZWSP} Zealand ministry network.`,
      `The intrusion ${RLO}lasted${PDF} three weeks before it was found, officials said on Tuesday.`,
    ].join("\n\n");
    const article = readArticle(Buffer.from(text), { path: "/seeds/x.md", mtimeMs: 0 });
    if (isRejected(article)) throw new Error(article.detail);
    expect(article.title).toBe("Hackers linked to apt40 hit a ministry");
    expect(article.body).not.toMatch(INVISIBLE);
    const analysis = analyse(article);
    expect(analysis.actors.map((a) => a.id)).toEqual(["APT40"]);
    expect(analysis.actors[0]?.matched.map((m) => m.text)).toContain("apt40");
    expect(analysis.countries.map((c) => c.code)).toContain("NZ");
    expect(analysis.summary).not.toMatch(INVISIBLE);

    // Through the real ingest into the store.
    const { seeds, store, engine } = ingestBed();
    writeFileSync(join(seeds, "x.md"), text);
    expect(await engine.scan(seeds)).toMatchObject({ new: 1 });
    const [summary] = (await store.latest(1)).stories;
    const story = await store.getStory(summary?.id ?? "");
    for (const field of [story?.title, story?.body, story?.summary]) expect(field).not.toMatch(INVISIBLE);
    expect(story?.actors.map((a) => a.id)).toEqual(["APT40"]);
    await store.close();
  });

  it("are removed by the analyser too, for an article that did not come through the reader", () => {
    const article = articleFromMarkdown(
      `# ${RLO}Report${PDF}\n\nHackers linked to ap${ZWSP}t40 struck a New Zealand agency last week.`,
    );
    const analysis = analyse(article);
    expect(analysis.actors.map((a) => a.id)).toEqual(["APT40"]);
    expect(analysis.summary).not.toMatch(INVISIBLE);
  });

  it("in a command do not split a word: /cyber ap\\u200Bt40 finds APT40", async () => {
    expect(parseCommand(`/cyber ap${ZWSP}t40`)).toMatchObject({ kind: "lookup", query: "apt40" });
    expect(parseCommand(`actor:${RLO}apt40${PDF}`)).toMatchObject({
      kind: "tag",
      tag: { kind: "actor", value: "apt40" },
    });
    // Control characters still separate words.
    expect(parseCommand("search\tbreach\u0000espionage")).toMatchObject({
      kind: "search",
      terms: ["breach", "espionage"],
    });
    const filled = await filledStore();
    try {
      const reply = await filled.handler.handle(command(`/cyber ap${ZWSP}t40`));
      expect(reply.kind).toBe("answer");
      expect(reply.headline).toMatch(/^APT40/);
      const suggestions = filled.handler.suggest(`ap${ZWSP}t4`, 10);
      expect(suggestions.map((s) => s.value)).toContain("apt40");
    } finally {
      await filled.store.close();
    }
  });
});
