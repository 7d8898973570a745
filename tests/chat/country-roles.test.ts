// Country roles on story cards in every renderer: a target reads as target, "mentioned" only when it is the only role.

import { describe, expect, it } from "vitest";
import { renderCard } from "../../src/chat/console/render.js";
import { storyEmbed } from "../../src/chat/discord/render.js";
import { tagTexts } from "../../src/chat/slack/blocks.js";
import { countryRefs, roleWords, shownRoles } from "../../src/core/cards.js";
import type { StorySummary } from "../../src/core/story.js";
import { story } from "../helpers/cards.js";

const CARD = story({
  countries: [
    { code: "CN", name: "China", roles: ["sponsor", "mentioned"], flag: "🇨🇳" },
    { code: "NZ", name: "New Zealand", roles: ["target", "mentioned"], flag: "🇳🇿" },
    { code: "US", name: "United States", roles: ["mentioned"], flag: "🇺🇸" },
  ],
});

describe("country roles on cards", () => {
  it("shows the telling roles, and mentioned only alone", () => {
    expect(shownRoles(["target", "mentioned"])).toEqual(["target"]);
    expect(shownRoles(["sponsor", "target", "mentioned"])).toEqual(["sponsor", "target"]);
    expect(shownRoles(["mentioned"])).toEqual(["mentioned"]);
    expect(roleWords(["sponsor", "target", "mentioned"])).toEqual(["blamed", "target"]);
  });

  it("prints '(target)' on the console, Discord and Slack", () => {
    const console = renderCard(CARD, true).replace(/\u00a0/g, " ");
    expect(console).toContain("🇳🇿 New Zealand (target)");
    expect(console).toContain("🇨🇳 China (blamed)");
    expect(console).toContain("🇺🇸 United States (mentioned)");
    const field = storyEmbed(CARD, 0).fields?.find((f) => f.name === "Countries")?.value;
    expect(field).toBe("🇨🇳 China (sponsor)\n🇳🇿 New Zealand (target)\n🇺🇸 United States (mentioned)");
    expect(tagTexts(CARD)[1]).toBe(
      "*Countries:* 🇨🇳 China (sponsor), 🇳🇿 New Zealand (target), 🇺🇸 United States (mentioned)",
    );
  });

  it("orders blamed countries first, then targets, then the rest", () => {
    const summary = {
      countries: [
        { code: "US", name: "United States", roles: ["mentioned"], matched: [] },
        { code: "NZ", name: "New Zealand", roles: ["target", "mentioned"], matched: [] },
        { code: "CN", name: "China", roles: ["sponsor"], matched: [] },
      ],
    } as unknown as StorySummary;
    expect(countryRefs(summary).map((c) => c.code)).toEqual(["CN", "NZ", "US"]);
  });
});
