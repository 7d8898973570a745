// Sector, malware and CVE tags on story cards in every renderer: shown when present, escaped, within limits.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderCard } from "../../src/chat/console/render.js";
import {
  renderAlert as discordAlert,
  renderBatch as discordBatch,
  renderReply as discordReply,
  storyEmbed,
  storyLine,
} from "../../src/chat/discord/render.js";
import { tagTexts } from "../../src/chat/slack/blocks.js";
import {
  renderAlert as slackAlert,
  renderBatch as slackBatch,
  renderReply as slackReply,
} from "../../src/chat/slack/render.js";
import { fitList, ITEM_MAX, tagLists } from "../../src/chat/tags.js";
import type { StoryCard } from "../../src/chat/types.js";
import { alertOf, reply, story } from "../helpers/cards.js";
import { checkMessage } from "./discord/fake-payloads.js";
import { blockProblems } from "./slack/block-limits.js";

const HOSTILE = ["<script>alert(1)</script>", "@everyone", "<!channel>", "<@U123>", "**bold** & `code`"];

const TAGGED = story({
  countries: [
    { code: "CN", name: "China", roles: ["sponsor"], flag: "🇨🇳" },
    { code: "NZ", name: "New Zealand", roles: ["target", "mentioned"], flag: "🇳🇿" },
  ],
  sectors: ["government", "elections"],
  malware: ["PlugX", "ShadowPad"],
  cves: ["CVE-2024-3400"],
});
const HOSTILE_CARD = story({
  title: "@here <b>breach</b>",
  sectors: ["healthcare"],
  malware: HOSTILE,
  cves: ["CVE-2024-3400", "<!here>"],
});
const MANY = Array.from({ length: 500 }, (_, i) => `Malware family number ${i}`);
const CROWDED = story({
  malware: MANY,
  sectors: ["healthcare"],
  cves: MANY.map((_, i) => `CVE-2024-${1000 + i}`),
});
const PLAIN = story({ sectors: [], malware: [], cves: [] });

const slackTexts = (card: StoryCard) => JSON.stringify(slackAlert(alertOf(card)).blocks);

describe("tag lists", () => {
  it("leave out absent, empty and blank lists, and repeat no tag", () => {
    expect(tagLists(story())).toEqual([]);
    expect(tagLists(PLAIN)).toEqual([]);
    expect(tagLists(story({ malware: [" ", ""], cves: ["CVE-2024-1", "cve-2024-1"] }))).toEqual([
      { label: "CVEs", items: ["CVE-2024-1"] },
    ]);
    const long = tagLists(story({ malware: [`x\u001b[31m${"y".repeat(500)}`] }))[0]?.items[0] ?? "";
    expect(long.length).toBeLessThanOrEqual(ITEM_MAX);
    expect(long).not.toContain("\u001b");
  });

  it("property: fitList stays within its room, and what it leaves out is counted exactly", () => {
    const items = fc.array(fc.string({ maxLength: 40 }), { maxLength: 60 });
    fc.assert(
      fc.property(items, fc.integer({ min: 20, max: 600 }), (list, max) => {
        const out = fitList(list, max);
        expect(out.length).toBeLessThanOrEqual(max);
        const forms = list.map(
          (_, j) =>
            `${list
              .slice(0, j)
              .map((s) => `${s}, `)
              .join("")}+${list.length - j} more`,
        );
        expect([list.join(", "), ...forms]).toContain(out);
      }),
    );
  });
});

describe("Slack cards", () => {
  it("show sectors, malware and CVEs after actors and countries, targets marked", () => {
    expect(tagTexts(TAGGED)).toEqual([
      "*Actors:* APT40 (as “Kryptonite Panda”)",
      "*Countries:* 🇨🇳 China (sponsor), 🇳🇿 New Zealand (target)",
      "*Sectors:* government, elections",
      "*Malware:* PlugX, ShadowPad",
      "*CVEs:* CVE-2024-3400",
    ]);
    const batch = JSON.stringify(slackBatch([alertOf(TAGGED), alertOf(TAGGED)], "r").blocks);
    expect(batch).toContain("government, elections · PlugX, ShadowPad · CVE-2024-3400");
  });

  it("show nothing for absent or empty lists", () => {
    for (const card of [story(), PLAIN]) expect(slackTexts(card)).not.toMatch(/Sectors|Malware|CVEs/);
  });

  it("escape hostile tags: no mention, broadcast or markup survives", () => {
    const all = [
      slackTexts(HOSTILE_CARD),
      JSON.stringify(slackBatch([alertOf(HOSTILE_CARD)], "r")),
      JSON.stringify(slackReply(reply({ stories: [HOSTILE_CARD] }))),
    ];
    for (const text of all) {
      expect(text).not.toMatch(/<[!@#]|<script/);
      expect(text).not.toMatch(/@(channel|here|everyone)/);
      expect(text).toContain("&lt;script&gt;");
    }
  });

  it("cut 500 malware names to a few and '+N more', within Slack's limits", () => {
    const text = slackTexts(CROWDED);
    expect(text).toMatch(/\*Malware:\* Malware family number 0, .*, \+\d+ more/);
    expect(text).toContain("*Sectors:* healthcare");
    const messages = [
      slackAlert(alertOf(CROWDED)),
      slackBatch(
        Array.from({ length: 30 }, () => alertOf(CROWDED)),
        "r",
      ),
      slackReply(reply({ stories: Array.from({ length: 5 }, () => CROWDED) })),
    ];
    for (const m of messages) expect(blockProblems(m.blocks)).toBeNull();
  });
});

describe("Discord cards", () => {
  it("show Sectors, Malware and CVEs fields, targets marked", () => {
    const fields = storyEmbed(TAGGED, 0).fields ?? [];
    expect(fields.map((f) => [f.name, f.value])).toEqual([
      ["Actors", "APT40 (as “Kryptonite Panda”)"],
      ["Countries", "🇨🇳 China (sponsor)\n🇳🇿 New Zealand (target)"],
      ["Sectors", "government, elections"],
      ["Malware", "PlugX, ShadowPad"],
      ["CVEs", "CVE-2024-3400"],
    ]);
    expect(storyLine(TAGGED)).toContain("government, elections · PlugX, ShadowPad · CVE-2024-3400");
  });

  it("add no empty field for absent or empty lists", () => {
    for (const card of [story(), PLAIN])
      expect(storyEmbed(card, 0).fields?.map((f) => f.name)).toEqual(["Actors", "Countries"]);
  });

  it("escape hostile tags: markdown, mention syntax and @everyone defused", () => {
    const malware = storyEmbed(HOSTILE_CARD, 0).fields?.find((f) => f.name === "Malware")?.value ?? "";
    expect(malware).toContain("\\<script\\>alert\\(1\\)\\</script\\>");
    expect(malware).toContain("\\<@U123\\>");
    expect(malware).toContain("\\*\\*bold\\*\\* & \\`code\\`");
    expect(malware).not.toMatch(/@everyone/);
    expect(JSON.stringify(discordAlert(alertOf(HOSTILE_CARD)))).not.toMatch(
      /@(everyone|here)|(^|[^\\])<[@!]/,
    );
  });

  it("cut 500 malware names to a few and '+N more', within Discord's limits", () => {
    const field = storyEmbed(CROWDED, 0).fields?.find((f) => f.name === "Malware")?.value ?? "";
    expect(field).toMatch(/^Malware family number 0, .*, \+\d+ more$/);
    expect(field.length).toBeLessThanOrEqual(1024);
    const messages = [
      discordAlert(alertOf(CROWDED)),
      discordBatch(
        Array.from({ length: 60 }, () => alertOf(CROWDED)),
        "r",
      ),
      discordReply(reply({ stories: Array.from({ length: 10 }, () => CROWDED) })),
    ];
    for (const m of messages) expect(checkMessage({ embeds: m.embeds })).toEqual([]);
  });
});

describe("console cards", () => {
  const lines = (card: StoryCard) =>
    renderCard(card, true)
      .replace(/\u00a0/g, " ")
      .split("\n");

  it("print Sectors, Malware and CVEs lines after the countries, targets marked", () => {
    const out = lines(TAGGED);
    const at = (label: string) => out.findIndex((l) => l.startsWith(`    ${label}: `));
    expect(out).toContain("    Countries: 🇨🇳 China (blamed), 🇳🇿 New Zealand (target)");
    expect(out[at("Sectors")]).toBe("    Sectors: government, elections");
    expect(out[at("Malware")]).toBe("    Malware: PlugX, ShadowPad");
    expect(out[at("CVEs")]).toBe("    CVEs: CVE-2024-3400");
    expect(at("Countries")).toBeLessThan(at("Sectors"));
  });

  it("print no line for absent or empty lists, and a few names then '+N more' for 500", () => {
    for (const card of [story(), PLAIN]) expect(lines(card).join("\n")).not.toMatch(/Sectors|Malware|CVEs/);
    const malware = lines(CROWDED).filter((l) => l.includes("Malware family"));
    expect(malware.join(" ")).toMatch(/\+488 more$/);
    expect(malware.length).toBeLessThanOrEqual(5);
  });
});
