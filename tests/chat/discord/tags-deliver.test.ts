// An alert with sector, malware and CVE tags, delivered through the real discord.js client to the fake Discord.

import { afterEach, describe, expect, it } from "vitest";
import { alertOf, story } from "../../helpers/cards.js";
import { type Bot, startBot, stopBot } from "./harness.js";

let bot: Bot | undefined;
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Body = { embeds: Array<{ fields?: Array<{ name: string; value: string }> }>; allowed_mentions: unknown };

describe("a tagged alert on Discord", () => {
  it("shows Sectors, Malware and CVEs fields, escaped, in a message Discord accepts", async () => {
    bot = await startBot();
    const card = story({
      sectors: ["healthcare", "research"],
      malware: [
        "PlugX",
        "<script>x</script> @everyone",
        ...Array.from({ length: 500 }, (_, i) => `Family ${i}`),
      ],
      cves: ["CVE-2024-3400"],
    });
    const ref = `discord:${bot.fake.guild.id}/${bot.fake.guild.channels[0]}`;
    await bot.adapter.deliver(ref, {
      kind: "alert",
      alert: alertOf(card, "subscribed to sector:healthcare"),
    });
    const req = bot.fake.find("POST", /^\/api\/v10\/channels\/\d+\/messages$/)[0];
    expect(req?.status).toBe(200); // the fake answers 400 over any limit
    const body = req?.body as Body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const fields = Object.fromEntries((body.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Sectors).toBe("healthcare, research");
    expect(fields.Malware).toMatch(
      /^PlugX, \\<script\\>x\\<\/script\\> @\u2060everyone, Family 0, .*, \+\d+ more$/,
    );
    expect(fields.CVEs).toBe("CVE-2024-3400");
  });
});
