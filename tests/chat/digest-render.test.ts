// Digest rendering on each platform: one line per event (title, date, "+N sources", id), within the platform's
// limits however many events and however long their titles, and a count of the events left out.

import { describe, expect, it } from "vitest";
import { renderDigest as renderConsole } from "../../src/chat/console/render.js";
import { renderDigest as renderDiscord } from "../../src/chat/discord/digest.js";
import { renderDigest as renderSlack } from "../../src/chat/slack/digest.js";
import type { Digest } from "../../src/chat/types.js";
import { story } from "../helpers/cards.js";
import { checkMessage } from "./discord/fake-payloads.js";
import { blockProblems } from "./slack/block-limits.js";

function digest(n: number, title = (i: number) => `Story ${i} about New Zealand`, total = n): Digest {
  return {
    key: "slack:T1/C1|country:NZ|daily|2026-12-02",
    title: "Daily digest: country:NZ",
    period: "1 Dec 08:00 – 2 Dec 2026 08:00 UTC",
    reason: "subscribed to country:NZ daily at 08:00 UTC",
    events: Array.from({ length: n }, (_, i) => ({
      story: story({ id: `e${i}`, title: title(i) }),
      sources: n - i - 1,
    })),
    total,
    more: "/cyber country NZ",
  };
}

describe("digest rendering", () => {
  it("a short digest: every line, with +N sources only when there are other sources", () => {
    const d = digest(3);
    const console = renderConsole(d);
    expect(console).toContain(">> Daily digest: country:NZ · 1 Dec 08:00 – 2 Dec 2026 08:00 UTC");
    expect(console).toContain("[e0] 2024-07-09  Story 0 about New Zealand · +2 sources");
    expect(console).toContain("[e1] 2024-07-09  Story 1 about New Zealand · +1 source");
    expect(console).toMatch(/\[e2\] 2024-07-09 {2}Story 2 about New Zealand\n/);
    expect(console).not.toContain("more events");

    const slack = renderSlack(d);
    expect(blockProblems(slack.blocks)).toBeNull();
    const text = JSON.stringify(slack.blocks);
    expect(text).toContain("Story 0 about New Zealand>* · 2024-07-09 · +2 sources · `e0`");
    expect(text).toContain("Story 2 about New Zealand>* · 2024-07-09 · `e2`");
    // Our own text is escaped too: "<id>" must not reach Slack as a link or a mention.
    expect(text).toContain("Read one: /cyber story &lt;id&gt;");
    expect(text).not.toContain("more events");

    const discord = renderDiscord(d);
    expect(checkMessage({ embeds: discord.embeds })).toEqual([]);
    expect(discord.embeds[0]?.description?.split("\n")[0]).toBe(
      "• **[Story 0 about New Zealand](https://example.org/apt40)** · 2024-07-09 · +2 sources · `e0`",
    );
  });

  it("a long digest with long titles stays within Slack's and Discord's limits and says how many more", () => {
    const d = digest(50, (i) => `${"Very long headline about a breach ".repeat(8)}${i}`, 180);
    const slack = renderSlack(d);
    expect(blockProblems(slack.blocks)).toBeNull();
    const shownSlack = (JSON.stringify(slack.blocks).match(/• \*/g) ?? []).length;
    expect(shownSlack).toBeGreaterThan(10);
    expect(JSON.stringify(slack.blocks)).toContain(`…and ${180 - shownSlack} more events: /cyber country NZ`);

    const discord = renderDiscord(d);
    expect(checkMessage({ embeds: discord.embeds })).toEqual([]);
    const lines = discord.embeds[0]?.description?.split("\n") ?? [];
    const shown = lines.filter((l) => l.startsWith("• ")).length;
    expect(shown).toBeGreaterThan(5);
    expect(lines[lines.length - 1]).toBe(`…and ${180 - shown} more events: /cyber country NZ`);

    expect(renderConsole(d)).toContain("…and 130 more events: /cyber country NZ");
  });

  it("Slack carries the key in message metadata; Discord a marker of it in the footer", () => {
    expect(renderSlack(digest(1)).metadata).toEqual({
      event_type: "cyberbrief_digest",
      event_payload: { key: "slack:T1/C1|country:NZ|daily|2026-12-02" },
    });
    expect(renderDiscord(digest(1)).embeds[0]?.footer?.text).toMatch(/ · digest [0-9a-f]{12}$/);
  });
});
