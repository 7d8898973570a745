// Victims' sectors: a sector word counts in a cyber article, in a sentence that says something was attacked.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createAnalyser, createTagger } from "../../src/analysis/index.js";
import { SECTORS } from "../../src/core/article.js";
import { readArticle } from "../../src/ingest/reader.js";
import { SEED_STORY } from "../helpers/workspace.js";
import { articleFromMarkdown, articleOf, gazetteer } from "./helpers.js";

const analyse = createAnalyser(gazetteer());
const text = (title: string, body: string) =>
  analyse(articleOf("/t.md", title, [{ kind: "paragraph", text: body }]));
const ids = (title: string, body: string) => (text(title, body).sectors ?? []).map((s) => s.id);

describe("sector tags", () => {
  it("the seed article gives government and elections, with its words at their offsets in the body", () => {
    const article = readArticle(readFileSync(SEED_STORY), { path: SEED_STORY, mtimeMs: 0 });
    if ("rejected" in article) throw new Error("the seed was rejected");
    const sectors = analyse(article).sectors ?? [];
    expect(sectors.map((s) => s.id).sort()).toEqual(["elections", "government"]);
    for (const s of sectors) {
      for (const m of s.matched) expect(article.body.slice(m.offset, m.offset + m.text.length)).toBe(m.text);
    }
    const words = sectors.flatMap((s) => s.matched.map((m) => m.text));
    expect(words).toEqual(expect.arrayContaining(["Electoral Commission", "government systems"]));
  });

  it("'hackers breached three hospitals' is healthcare; the evidence is the word and its body offset", () => {
    const body = "Police said on Monday that hackers breached three hospitals in the north.";
    const a = text("Ransomware wave", body);
    expect(a.sectors).toEqual([
      { id: "healthcare", matched: [{ text: "hospitals", offset: body.indexOf("hospitals") }] },
    ]);
  });

  it("held-out batch 70-84: pumping stations are water, an aluminium maker is manufacturing, military aid is no victim", () => {
    const title = "Hacktivists strike utilities";
    expect(
      ids(title, "Villagers lost water after hacktivists tampered with a pumping station's controller."),
    ).toEqual(["water"]);
    expect(
      ids(title, "The ransomware attack on Norsk Hydro forced the aluminium maker to run by hand."),
    ).toEqual(["manufacturing"]);
    expect(
      ids(title, "Hackers said the DDoS attack was retaliation for Danish military aid to Ukraine."),
    ).toEqual([]);
    expect(
      ids(title, "APT28 phished the ministry. The campaign also reached a state energy company."),
    ).toContain("energy");
  });

  it("a hospital in a sentence that attacks nothing is not tagged, in an article that is cyber", () => {
    const a = text(
      "Phishing kit sold online",
      "A new phishing kit is sold to criminals for $50 a month. The author lives near a hospital in Lyon.",
    );
    expect(a.cyber).toBe(true);
    expect(a.sectors).toEqual([]);
  });

  it("a weather story about storms felling power lines and hitting the grid is not cyber and has no sectors", () => {
    const a = text(
      "Storm leaves thousands without power",
      "High winds brought down power lines across the county, and the storm hit the power grid and a hospital's " +
        "generator. The utility said crews would work through the night at the water treatment plant.",
    );
    expect(a.cyber).toBe(false);
    expect(a.sectors).toEqual([]);
  });

  it("a cue only in the title has offset -1; a body cue wins over the title's", () => {
    const title = text("Hackers breached a hospital network", "The ransomware gang demanded payment.");
    expect(title.sectors).toEqual([{ id: "healthcare", matched: [{ text: "hospital", offset: -1 }] }]);
    const body = "The ransomware hit two hospitals in Leeds.";
    const both = text("Ransomware hits hospitals", body);
    expect(both.sectors?.[0]?.matched).toEqual([{ text: "hospitals", offset: body.indexOf("hospitals") }]);
  });

  it("names the victims of other sectors from their own words", () => {
    expect(ids("T", "The hacking group targeted think tanks and universities in Europe.")).toEqual([
      "research",
      "education",
    ]);
    expect(ids("T", "Lazarus hackers stole $600 million from a crypto exchange.")).toEqual(["crypto"]);
    expect(ids("T", "Hackers used a wiper against a utility and a power grid operator in Ukraine.")).toEqual([
      "energy",
    ]);
    expect(ids("T", "Hackers compromised the NHS and the Electoral Commission.")).toEqual([
      "healthcare",
      "elections",
    ]);
    expect(ids("T", "The cyberattacks on the Australian government lasted a year.")).toEqual(["government"]);
  });

  it("the attacker's or the speaker's organisation is not a victim", () => {
    // Chinese government hackers (the attacker), a ministry that speaks, military intelligence (the attacker).
    expect(ids("T", "Chinese government hackers used a zero-day in the attack.")).toEqual([]);
    expect(ids("T", "The foreign ministry said the hacking claims were false.")).toEqual([]);
    expect(ids("T", "Russian military intelligence hackers ran the espionage campaign.")).toEqual([]);
    expect(ids("T", "Officials blamed the cyberattack on the government of Iran.")).toEqual([]);
    expect(
      ids("T", "The malware authors demanded payment in cryptocurrency after the ransomware attack."),
    ).toEqual([]);
  });

  it("a cue far from any attack word in a long sentence is not tagged", () => {
    const far =
      "The ransomware group, which researchers have followed for years across many countries and continents " +
      "without any sign of slowing, once also published a blog post praising hospitals.";
    expect(ids("T", far)).toEqual([]);
  });

  it("the tagger (what bench:tag measures) gives the same sectors as the analyser", () => {
    const article = articleFromMarkdown("# Banks hit\n\nHackers breached two banks and a telecom provider.");
    const tags = createTagger(gazetteer())(article);
    expect(tags.sectors.map((s) => s.id)).toEqual(["finance", "telecom"]);
    expect(tags.sectors.every((s) => SECTORS.includes(s.id))).toBe(true);
  });

  it("coordinated modifiers name each sector: water and energy utilities, defence and telecom firms", () => {
    expect(
      ids("Utilities hacked", "Hackers breached American water and energy utilities for years."),
    ).toEqual(["water", "energy"]);
    expect(
      ids(
        "Routers backdoored",
        "The group deployed custom backdoors on routers at defence and telecom firms.",
      ),
    ).toEqual(["defence", "telecom"]);
  });

  it("the agencies that attribute a theft are not its victims", () => {
    const body =
      "The FBI and the Department of Defense Cyber Crime Center have attributed the theft of bitcoin from a crypto exchange to North Korean hackers.";
    expect(ids("Crypto exchange robbed", body)).toEqual(["crypto"]);
  });

  it("more ways of saying attacked: broken into, gone after, exploitation at, took over", () => {
    expect(
      ids(
        "Dutch network hacked",
        "Chinese hackers had broken into a Dutch defence research network through a firewall flaw.",
      ),
    ).toEqual(["defence", "research"]);
    expect(
      ids("Activists targeted", "The hackers have also gone after human rights organisations in Iran."),
    ).toEqual(["ngo"]);
    expect(
      ids(
        "Firewall bug",
        "Hackers abused the firewall flaw; Volexity first saw the exploitation at a manufacturing company in May.",
      ),
    ).toEqual(["manufacturing"]);
    expect(
      ids(
        "Water plant hacked",
        "Hackers took over programmable logic controllers at the Municipal Water Authority.",
      ),
    ).toEqual(["critical-infrastructure", "water"]);
  });

  it("a cue in a relative clause set off by commas is no victim of an attack word outside it", () => {
    const title = "Chinese hackers hid in Guam networks";
    expect(
      ids(title, "Officials in Guam, which hosts major military bases, were among the victims."),
    ).toEqual([]);
    expect(ids(title, "The island, whose hospitals hackers breached in May, asked for help.")).toEqual([
      "healthcare",
    ]);
  });
});
