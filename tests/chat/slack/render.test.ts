// The Block Kit renderer and its limit helpers, as pure functions: escaping, truncation, and never over a limit.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeText, truncate, unescapeText } from "../../../src/chat/slack/limits.js";
import { renderAlert, renderBatch, renderReply } from "../../../src/chat/slack/render.js";
import type { Reply, StoryCard } from "../../../src/chat/types.js";
import { blockProblems } from "./fake-slack.js";
import { reply, story } from "./fixtures.js";

const hostile = "<!channel> <!here> <!everyone> <@U123> <https://evil.example|click> & @channel";

describe("escaping", () => {
  it("escapes the three control characters and defuses @channel words", () => {
    expect(escapeText("a & b <c> @here")).toBe("a &amp; b &lt;c&gt; @\u2060here");
    expect(unescapeText("AT&amp;T &lt;b&gt;")).toBe("AT&T <b>");
  });

  it("never lets article or user text become a mention, a broadcast or a link", () => {
    const card = story({
      title: hostile,
      summary: hostile,
      note: hostile,
      source: hostile,
      id: hostile,
      actors: [{ id: "x", name: hostile, alias: hostile }],
      countries: [{ code: "XX", name: hostile, roles: ["mentioned"], flag: "" }],
      url: null,
    });
    const messages = [
      renderAlert({ story: card, reason: hostile }),
      renderBatch([{ story: card, reason: hostile }], hostile),
      renderReply(
        reply({
          headline: hostile,
          text: [hostile],
          fields: [{ label: hostile, value: hostile }],
          stories: [card],
          footer: hostile,
          errorId: hostile,
        }),
      ),
    ];
    for (const message of messages) {
      const all = JSON.stringify(message);
      expect(all).not.toMatch(/<[!@#]/);
      expect(all).not.toContain("<https://evil");
      expect(all).not.toMatch(/@(channel|here|everyone)/);
      expect(all).toContain("&lt;!channel&gt;");
    }
  });

  it("links only http(s) URLs and keeps the link markup intact", () => {
    const js = JSON.stringify(
      renderAlert({ story: story({ url: "javascript:alert(1)" }), reason: "r" }).blocks,
    );
    expect(js).not.toContain("javascript:");
    const odd = renderAlert({ story: story({ url: "https://example.org/a?b=1&c=<2>|3" }), reason: "r" });
    expect(JSON.stringify(odd.blocks)).toContain("<https://example.org/a?b=1&amp;c=&lt;2&gt;%7C3|");
  });
});

describe("truncate", () => {
  it("leaves short text alone and ends cut text with an ellipsis and the pointer", () => {
    expect(truncate("short", 10)).toBe("short");
    const cut = truncate("one two three four five six seven", 20, "see more");
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).toBe("one two…\nsee more");
  });

  it("never cuts inside an entity, a surrogate pair or one of our links", () => {
    expect(truncate("abcdefg&amp;hijk", 10)).toBe("abcdefg…");
    expect(truncate("abcdefgh😀xyz", 10)).toBe("abcdefgh…");
    expect(truncate("see <https://x.org/a|a link> now", 15)).toBe("see…");
  });

  it("stays within its limit for any text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 1, max: 300 }), (text, max) => {
        expect(truncate(escapeText(text), max).length).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe("rendering within Slack's limits", () => {
  const cardArb: fc.Arbitrary<StoryCard> = fc.record({
    id: fc.string({ minLength: 1, maxLength: 20 }),
    date: fc.constant("2024-01-01"),
    dateEstimated: fc.boolean(),
    // Any code point: surrogate pairs, and control characters that JSON escapes to six characters each.
    title: fc.string({ maxLength: 600, unit: "binary" }),
    summary: fc.string({ maxLength: 12_000, unit: "binary" }),
    actors: fc.array(
      fc.record({ id: fc.string(), name: fc.string({ minLength: 1, maxLength: 60 }), alias: fc.string() }),
      { maxLength: 60 },
    ),
    countries: fc.array(
      fc.record({
        code: fc.string(),
        name: fc.string({ minLength: 1, maxLength: 60 }),
        roles: fc.constant(["mentioned" as const]),
        flag: fc.constant("🏳️"),
      }),
      { maxLength: 60 },
    ),
    source: fc.string({ minLength: 1, maxLength: 400 }),
    url: fc.option(fc.webUrl(), { nil: null }),
    note: fc.option(fc.string({ maxLength: 400 }), { nil: undefined }),
  });
  const replyArb: fc.Arbitrary<Reply> = fc.record({
    kind: fc.constantFrom("answer", "help", "empty", "notice"),
    headline: fc.string({ maxLength: 400 }),
    text: fc.array(fc.string({ maxLength: 8000, unit: "binary" }), { maxLength: 6 }),
    fields: fc.array(
      fc.record({
        label: fc.string({ maxLength: 100 }),
        value: fc.string({ maxLength: 3500 }),
        inline: fc.option(fc.boolean(), { nil: undefined }),
      }),
      { maxLength: 25 },
    ),
    stories: fc.array(cardArb, { maxLength: 40 }),
    footer: fc.option(fc.string({ maxLength: 4000 }), { nil: undefined }),
    private: fc.boolean(),
    errorId: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  });

  it("keeps any reply within the limits the fake Slack enforces", () => {
    fc.assert(
      fc.property(replyArb, fc.string({ maxLength: 2500 }), (r, shareText) => {
        expect(blockProblems(renderReply(r, { shareText }).blocks)).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it("keeps any alert and any batch within the limits", () => {
    fc.assert(
      fc.property(
        fc.array(cardArb, { minLength: 1, maxLength: 70 }),
        fc.string({ maxLength: 2000 }),
        (cards, why) => {
          expect(blockProblems(renderAlert({ story: cards[0] as StoryCard, reason: why }).blocks)).toBeNull();
          const alerts = cards.map((c) => ({ story: c, reason: why }));
          expect(blockProblems(renderBatch(alerts, why).blocks)).toBeNull();
          const summary = renderBatch(alerts, why, alerts.length + 1990, [why, why]);
          expect(blockProblems(summary.blocks)).toBeNull();
        },
      ),
      { numRuns: 100 },
    );
  });

  it("heads a flood summary with its total and top actors, and says how many more there are", () => {
    const alerts = Array.from({ length: 10 }, (_, i) => ({ story: story({ id: `s${i}` }), reason: "all" }));
    const { text, blocks } = renderBatch(alerts, "subscribed to all", 2000, ["APT40", "Volt Typhoon"]);
    expect(text).toContain("2000 new stories, most about APT40 and Volt Typhoon");
    expect(JSON.stringify(blocks[0])).toContain("2000 new stories, most about APT40 and Volt Typhoon");
    expect(JSON.stringify(blocks.at(-1))).toContain("…and 1990 more: /cyber latest");
    expect(blockProblems(blocks)).toBeNull();
  });

  it("drops whole stories from the end of a long list and says how many", () => {
    const stories = Array.from({ length: 40 }, (_, i) => story({ id: `s${i}`, summary: "y ".repeat(400) }));
    const { blocks } = renderReply(reply({ stories, footer: "40 stories" }));
    expect(blockProblems(blocks)).toBeNull();
    const shown = blocks.filter((b) => b.type === "section").length - 1;
    const note = JSON.stringify(blocks.at(-2));
    expect(note).toContain(`and ${40 - shown} more stories not shown`);
    expect(JSON.stringify(blocks.at(-1))).toContain("40 stories");
  });

  it("splits a long paragraph across sections and cuts the last with a pointer to the one story", () => {
    const { blocks } = renderReply(reply({ text: ["z ".repeat(20_000)] }));
    expect(blockProblems(blocks)).toBeNull();
    const sections = blocks.filter((b) => b.type === "section");
    expect(sections.length).toBeGreaterThan(2);
    expect(JSON.stringify(blocks)).toContain("…\\nfull story: /cyber story ab12cd");
  });

  it("puts inline fields side by side and gives a wide field its own section", () => {
    const fields = [
      { label: "Also known as", value: "Kryptonite Panda, Leviathan", inline: false },
      { label: "Sponsor", value: "China", inline: true },
      { label: "Stories", value: "3", inline: true },
    ];
    const { blocks } = renderReply(reply({ text: [], stories: [], fields }));
    expect(blocks.slice(1)).toEqual([
      {
        type: "section",
        text: { type: "mrkdwn", text: "*Also known as*\nKryptonite Panda, Leviathan", verbatim: true },
      },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Sponsor*\nChina", verbatim: true },
          { type: "mrkdwn", text: "*Stories*\n3", verbatim: true },
        ],
      },
    ]);
  });

  it("shows matched aliases and the share button only when asked", () => {
    const plain = JSON.stringify(renderReply(reply()).blocks);
    expect(plain).toContain("APT40 (as “Kryptonite Panda”)");
    expect(plain).not.toContain("cyberbrief_share");
    expect(JSON.stringify(renderReply(reply(), { shareText: "x".repeat(2001) }).blocks)).not.toContain(
      "cyberbrief_share",
    );
  });
});
