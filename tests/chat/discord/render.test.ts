// Pure parts: limits and truncation (with properties), markdown escaping, rendering, choices, error mapping.

import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toDeliveryError } from "../../../src/chat/discord/errors.js";
import { toChoices } from "../../../src/chat/discord/interactions.js";
import { clip, type DraftEmbed, fitMessage, LIMITS, totalLength } from "../../../src/chat/discord/limits.js";
import { esc, renderBatch, renderOutbound, renderReply } from "../../../src/chat/discord/render.js";
import type { StoryCard } from "../../../src/chat/types.js";
import { checkMessage } from "./fake-discord.js";
import { APT40, alertOf, reply } from "./harness.js";

describe("clip", () => {
  it("leaves short text alone and cuts long text to the limit with an ellipsis", () => {
    expect(clip("short", 10)).toBe("short");
    const cut = clip("word ".repeat(100), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("never splits a surrogate pair or leaves a dangling escape", () => {
    const flags = "🇳🇿".repeat(100);
    const cut = clip(flags, 11);
    expect(cut.length).toBeLessThanOrEqual(11);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
    expect(clip("a\\*bc".repeat(10), 4)).not.toMatch(/(^|[^\\])(\\\\)*\\…$/);
  });

  it("property: any text, any limit: within the limit", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 400 }),
        fc.integer({ min: 0, max: 300 }),
        (s, max) => {
          expect(clip(s, max).length).toBeLessThanOrEqual(Math.max(max, 0));
        },
      ),
    );
  });
});

const arbEmbed: fc.Arbitrary<DraftEmbed> = fc.record(
  {
    title: fc.string({ maxLength: 600 }),
    description: fc.string({ maxLength: 9000 }),
    author: fc.record({ name: fc.string({ maxLength: 600 }) }),
    footer: fc.record({ text: fc.string({ maxLength: 5000 }) }),
    fields: fc.array(
      fc.record({ name: fc.string({ maxLength: 400 }), value: fc.string({ maxLength: 2000 }) }),
      {
        maxLength: 40,
      },
    ),
    pointer: fc.constant("full story: /cyber story x1"),
  },
  { requiredKeys: [] },
);

describe("fitMessage", () => {
  it("property: whatever goes in, the message is within every Discord limit", () => {
    fc.assert(
      fc.property(fc.array(arbEmbed, { maxLength: 14 }), (drafts) => {
        const { embeds } = fitMessage(drafts);
        expect(checkMessage({ embeds })).toEqual([]);
        expect(totalLength(embeds)).toBeLessThanOrEqual(LIMITS.total);
        expect(embeds.every((e) => !("pointer" in e))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("shortens descriptions before dropping embeds, and keeps the pointer", () => {
    const drafts: DraftEmbed[] = [1, 2, 3].map((i) => ({
      title: `t${i}`,
      description: "x".repeat(3000),
      pointer: `full story: /cyber story s${i}`,
    }));
    const { embeds, dropped } = fitMessage(drafts);
    expect(dropped).toBe(0);
    expect(embeds).toHaveLength(3);
    expect(embeds[0]?.description).toMatch(/…\nfull story: \/cyber story s1$/);
  });
});

describe("esc", () => {
  it("neutralises formatting, links, headings, lists and mention syntax", () => {
    expect(esc("# Big\n- item\n2. two\n> quote")).toBe("\\# Big\n\\- item\n2\\. two\n\\> quote");
    expect(esc("**b** _i_ ~~s~~ ||sp|| `c` [x](https://e.org) <@&1>")).toBe(
      "\\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~ \\|\\|sp\\|\\| \\`c\\` \\[x\\]\\(https://e.org\\) \\<@&1\\>",
    );
  });

  it("escapes every line of a large hostile text (its speed is measured by bench/query.ts)", () => {
    const out = esc("*_~`|#-<>[]\n".repeat(25_000), 2_000_000);
    // Each line starts with an escaped `*`, so `#` and `-` are not at a line start and stay as they are.
    expect(out).toBe("\\*\\_\\~\\`\\|#-\\<\\>\\[\\]\n".repeat(25_000));
  });
});

describe("rendering", () => {
  it("renders a story with actors (and the alias matched), countries, date and source", () => {
    const { embeds } = renderReply(reply());
    const story = embeds[1];
    expect(story?.url).toBe("https://example.org/apt40");
    expect(story?.fields).toEqual([
      { name: "Actors", value: "APT40 (as “Kryptonite Panda”)", inline: true },
      { name: "Countries", value: "🇨🇳 China (sponsor)\n🇳🇿 New Zealand (mentioned)", inline: true },
    ]);
    expect(story?.footer?.text).toBe("2024-07-09 · advisory-apt40.md · /cyber story ab12cd");
  });

  it("drops a non-http url and marks an estimated date", () => {
    const card: StoryCard = { ...APT40, url: "javascript:alert(1)", dateEstimated: true };
    const [e] = renderOutbound({ kind: "alert", alert: alertOf(card) }).embeds;
    expect(e?.url).toBeUndefined();
    expect(e?.footer?.text).toMatch(/^2024-07-09 \(date estimated\)/);
  });

  it("lists the stories that do not fit as embeds in the header, instead of losing them", () => {
    const stories = Array.from({ length: 14 }, (_, i) => ({ ...APT40, id: `s${i}`, title: `Story ${i}` }));
    const { embeds } = renderReply(reply({ stories }));
    expect(embeds).toHaveLength(LIMITS.embeds);
    const more = embeds[0]?.fields?.at(-1);
    expect(more?.name).toBe("5 more");
    expect(more?.value).toContain("`s13`");
    expect(checkMessage({ embeds })).toEqual([]);
  });

  it("puts the error id in the footer and never a Share button without an id", () => {
    const r = renderReply(reply({ kind: "error", errorId: "deadbeef", stories: [] }));
    expect(r.embeds[0]?.footer?.text).toBe("error id deadbeef");
    expect(r.components).toEqual([]);
  });

  it("renders a batch as one digest embed", () => {
    const alerts = Array.from({ length: 3 }, (_, i) => alertOf({ ...APT40, id: `b${i}` }));
    const { embeds } = renderBatch(alerts, "subscribed to country:NZ");
    expect(embeds).toHaveLength(1);
    expect(embeds[0]?.author?.name).toBe("3 new stories · subscribed to country:NZ");
    expect(embeds[0]?.description?.split("\n")).toHaveLength(3);
  });

  it("renders a flood summary with its total, top actors and how many more, within the limits", () => {
    const alerts = Array.from({ length: 10 }, (_, i) => alertOf({ ...APT40, id: `b${i}` }));
    const { embeds } = renderBatch(alerts, "subscribed to all", 2000, ["APT40", "Volt Typhoon"]);
    expect(embeds).toHaveLength(1);
    expect(embeds[0]?.title).toBe("2000 new stories, most about APT40 and Volt Typhoon");
    expect(embeds[0]?.author?.name).toBe("2000 new stories · subscribed to all");
    const lines = embeds[0]?.description?.split("\n") ?? [];
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe("…and 1990 more: /cyber latest");
    expect(checkMessage({ embeds })).toEqual([]);
  });
});

describe("toChoices", () => {
  it("caps at 25, clips names to 100, skips values over 100 and duplicates", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      label: `L${i} ${"x".repeat(200)}`,
      value: `v${i}`,
    }));
    const choices = toChoices([
      { label: "dup", value: "v0" },
      { label: "too long", value: "y".repeat(101) },
      { label: "", value: "empty-label" },
      ...many,
    ]);
    expect(choices).toHaveLength(25);
    expect(choices[0]).toEqual({ name: "dup", value: "v0" });
    expect(choices[1]).toEqual({ name: "empty-label", value: "empty-label" });
    expect(choices.every((c) => c.name.length <= 100 && c.value.length <= 100)).toBe(true);
    expect(new Set(choices.map((c) => c.value)).size).toBe(25);
  });
});

describe("toDeliveryError", () => {
  const request = { body: undefined, files: undefined };
  const api = (status: number, code: number) =>
    new DiscordAPIError({ code, message: "m" }, code, status, "POST", "/channels/1/messages", request);

  it("maps channel-level 4xx to permanent, other 4xx to transient (a bad body must not disable a channel)", () => {
    for (const code of [10003, 10004, 50001, 50013])
      expect(toDeliveryError(api(403, code)).kind).toBe("permanent");
    expect(toDeliveryError(api(400, 50035))).toMatchObject({ kind: "transient", code: "50035" });
  });

  it("maps a refused token (401, and the REST client's 'no token' after it) to auth, naming DISCORD_TOKEN", () => {
    expect(toDeliveryError(api(401, 0))).toMatchObject({ kind: "auth", code: "401" });
    expect(toDeliveryError(api(401, 0)).message).toMatch(/DISCORD_TOKEN/);
    const after = new Error("Expected token to be set for this request, but none was present");
    expect(toDeliveryError(after)).toMatchObject({ kind: "auth", code: "401" });
  });

  it("maps RateLimitError, 5xx, timeouts and network errors to transient", () => {
    const rl = new RateLimitError({
      global: false,
      method: "POST",
      url: "u",
      route: "/channels/:id/messages",
      majorParameter: "1",
      hash: "h",
      limit: 5,
      timeToReset: 7000,
      retryAfter: 7000,
      sublimitTimeout: 0,
      scope: "user",
    });
    expect(toDeliveryError(rl)).toMatchObject({
      kind: "transient",
      code: "rate_limited",
      retryAfterMs: 7000,
    });
    const http = new HTTPError(502, "Bad Gateway", "POST", "u", request);
    expect(toDeliveryError(http)).toMatchObject({ kind: "transient", code: "http_502" });
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect(toDeliveryError(abort)).toMatchObject({ kind: "transient", code: "timeout" });
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(toDeliveryError(reset)).toMatchObject({ kind: "transient", code: "ECONNRESET" });
  });
});
