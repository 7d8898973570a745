// Discord autocomplete for the new tag forms: sector:<id> from the fixed list, target:<country>, cve:CVE-...,
// on top of the command layer's own suggestions (the real ones, from the real gazetteer), and end to end.

import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toChoices } from "../../../src/chat/discord/interactions.js";
import { sectorsFor, suggestTags } from "../../../src/chat/discord/suggest.js";
import type { CommandHandler } from "../../../src/chat/types.js";
import { suggest } from "../../../src/commands/handler.js";
import { malwareNames } from "../../../src/commands/malware-names.js";
import { SECTORS } from "../../../src/core/article.js";
import { useFilledStore } from "../../helpers/filled-store.js";
import { gazetteer } from "../../helpers/ingest.js";
import { type Bot, startBot, stopBot } from "./harness.js";

const base = (partial: string, limit: number) => suggest(gazetteer, partial, limit);
const values = (partial: string, limit = 25) => suggestTags(base, partial, limit).map((s) => s.value);

describe("tag suggestions", () => {
  it("offers sector:<id> for a typed sector form, prefix matches first, then containing ones", () => {
    expect(values("subscribe sector:he")).toEqual(["subscribe sector:healthcare"]);
    expect(values("sector:infra")).toEqual(["sector:critical-infrastructure"]);
    expect(values("subscribe sector:")).toEqual(SECTORS.map((s) => `subscribe sector:${s}`));
    expect(values("sector:de")[0]).toBe("sector:defence");
    expect(sectorsFor("e")[0]).toBe("elections");
  });

  it("offers the sector form for a bare word after the command layer's own choices", () => {
    expect(values("subscribe health")).toContain("subscribe sector:healthcare");
    expect(values("se")).toEqual(expect.arrayContaining(["search", "sector:government"]));
    expect(values("kryp")).not.toEqual(expect.arrayContaining([expect.stringContaining("sector:")]));
    expect(values("se", 3)).toHaveLength(3);
  });

  it("offers target:<country> where the command layer offers country:<country>", () => {
    expect(values("subscribe target:new zea")).toContain("subscribe target:new zealand");
    const labels = suggestTags(base, "subscribe target:new zea", 25).map((s) => s.label);
    expect(labels).toContain("subscribe target:New Zealand");
    expect(values("target:")).toEqual([]);
  });

  it("keeps each tag form to its kind: countries under target:/country:, actors under actor:, a typed code first", () => {
    // The command layer used to mix kinds: country:apt4 offered country:apt40.
    expect(values("target:apt4")).toEqual([]);
    expect(values("country:apt4")).toEqual([]);
    expect(values("actor:new zea")).not.toContain("actor:new zealand");
    expect(values("actor:apt4")).toContain("actor:apt40");
    expect(values("subscribe target:nz")[0]).toBe("subscribe target:nz");
    expect(suggestTags(base, "target:nz", 25)[0]?.label).toBe("target:New Zealand");
  });

  it("offers malware families by name or alias under malware:", () => {
    const malware = malwareNames(join(import.meta.dirname, "../../../data"));
    const offered = suggest(gazetteer, "subscribe malware:korp", 25, malware).map((s) => s.value);
    expect(offered).toEqual(["subscribe malware:plugx"]);
    expect(suggest(gazetteer, "malware:lockb", 25, malware).map((s) => s.value)).toContain("malware:lockbit");
    expect(suggest(gazetteer, "malware:zzzzqq", 25, malware)).toEqual([]);
  });

  it("offers a typed CVE id, upper case, as cve:CVE-...; nothing for half an id", () => {
    expect(values("subscribe cve:cve-2024-3400")).toEqual(["subscribe cve:CVE-2024-3400"]);
    expect(values("cve-2024-3400")).toContain("cve:CVE-2024-3400");
    expect(values("cve:cve-2024-34")).toEqual([]);
  });

  it("keeps within Discord's choice limits for hostile input", () => {
    const long = `subscribe sector:${"x".repeat(300)}`;
    expect(toChoices(suggestTags(base, long, 25))).toEqual([]);
    const choices = toChoices(suggestTags(base, "subscribe sector:", 25));
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) expect(c.value.length).toBeLessThanOrEqual(100);
  });
});

let handler: CommandHandler;
let bot: Bot | undefined;
useFilledStore((filled) => ({ handler } = filled));
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Choice = { name: string; value: string };

describe("autocomplete through discord.js with the real command handler", () => {
  it("offers sector:, target: and cve: choices Discord accepts", async () => {
    bot = await startBot({ handler });
    const asked = ["subscribe sector:heal", "subscribe target:new zea", "subscribe cve:cve-2024-3400"];
    for (const partial of asked) bot.interact({ kind: "autocomplete", partial });
    const cbs = await bot.fake.waitFor(() => {
      const got = bot?.fake.callbacks() ?? [];
      return got.length === asked.length ? got : undefined;
    });
    const all = cbs.flatMap(
      (cb) => ((cb as { data?: { choices?: Choice[] } }).data?.choices ?? []) as Choice[],
    );
    expect(all.map((c) => c.value)).toEqual(
      expect.arrayContaining([
        "subscribe sector:healthcare",
        "subscribe target:new zealand",
        "subscribe cve:CVE-2024-3400",
      ]),
    );
    expect(bot.fake.find("POST", /\/callback$/).map((r) => r.status)).toEqual([204, 204, 204]);
  });
});
