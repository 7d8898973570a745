// Blame, not nationality (issue 15): who is a sponsor, Georgia the US state, ATP/APT swaps and Cyber Av3ngers.

import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import type { Analysis } from "../../src/core/article.js";
import { articleOf, gazetteer } from "./helpers.js";

const analyse = createAnalyser(gazetteer());
const tag = (text: string, title = "Report"): Analysis =>
  analyse(articleOf("/t/a.md", title, [{ kind: "paragraph", text }]));
const roles = (text: string) =>
  Object.fromEntries(tag(text).countries.map((c) => [c.code, c.roles.join("+")]));
const sponsors = (text: string) =>
  tag(text)
    .countries.filter((c) => c.roles.includes("sponsor"))
    .map((c) => c.code);
const actorIds = (text: string, title?: string) => tag(text, title).actors.map((a) => a.id);

describe("sponsor means blamed", () => {
  it("never makes the accuser a sponsor or a target", () => {
    expect(
      roles(
        "Australia's ASD said China's APT40 had compromised the networks of two government departments in the Philippines.",
      ),
    ).toEqual({ AU: "mentioned", CN: "sponsor+mentioned", PH: "target+mentioned" });
  });

  it("does not blame the sponsor of actors named in passing in a list", () => {
    const text =
      "The insurer's report on phishing and ransomware names threat groups such as FIN7, Scattered Spider and " +
      "Seashell Blizzard, but could not link its claims to any of them.";
    expect(actorIds(text)).toEqual(["FIN7", "Scattered Spider", "Sandworm"]);
    expect(tag(text).countries).toEqual([]);
  });

  it("does not make a criminal group's home country a sponsor or a target", () => {
    expect(
      roles(
        "Prosecutors said FIN7 stole card data by phishing restaurants. They described FIN7 as a financially " +
          "motivated criminal enterprise with members in Russia and Ukraine.",
      ),
    ).toEqual({ RU: "mentioned", UA: "mentioned" });
    expect(
      roles(
        "A ransomware gang based in Russia has encrypted the servers of a technical college in Limerick.",
      ),
    ).toEqual({ RU: "mentioned" });
  });

  it("does not blame a state the article never names", () => {
    expect(tag("Investigators blamed APT41 for the breach.").countries).toEqual([]);
    expect(tag("State actors such as Seashell Blizzard use phishing too, Microsoft said.").countries).toEqual(
      [],
    );
  });

  it("blames a named actor's sponsor when the article ties the actor to that state", () => {
    expect(sponsors("Researchers said Russia's Sandworm hackers attacked the power grid.")).toEqual(["RU"]);
    expect(
      sponsors(
        "Poland said the hacking group ATP28, run by Russia's military intelligence, breached a party.",
      ),
    ).toEqual(["RU"]);
    expect(
      sponsors(
        "The UK sanctioned a front company over a hacking campaign by APT31. China's embassy in London rejected the claims.",
      ),
    ).toEqual(["CN"]);
  });

  it("reads a denial as blame only with a named actor of that state", () => {
    expect(sponsors("The Kremlin denied any role in the cyberattack on the ministry.")).toEqual([]);
    expect(roles("The Kremlin has denied that Sandworm hackers breached the ministry.")).toEqual({
      RU: "sponsor+mentioned",
    });
  });

  it("reads pro-<country> as support, not state direction", () => {
    expect(roles("Pro-Russian hackers knocked Danish ministry websites offline with a DDoS attack.")).toEqual(
      {
        RU: "mentioned",
        DK: "target+mentioned",
      },
    );
  });
});

describe("Georgia the US state", () => {
  it("is not the country next to US places, offices, voters and other states", () => {
    expect(tag("Ransomware hit the court system in Atlanta, Georgia, officials said.").countries).toEqual([]);
    expect(tag("Georgia's secretary of state said the phishing emails failed.").countries).toEqual([]);
    expect(tag("Georgia voters need not worry about the hacking, officials said.").countries).toEqual([]);
    // Arizona, a US state locating the victims, makes the US (never Georgia the country) a target.
    expect(
      tag("Iranian hackers sent phishing emails to election offices in Georgia and Arizona.").countries.map(
        (c) => c.code,
      ),
    ).toEqual(["IR", "US"]);
  });

  it("is the country in Tbilisi and next to its own words", () => {
    expect(roles("Hackers defaced thousands of websites in Tbilisi, Georgia, the ministry said.")).toEqual({
      GE: "target+mentioned",
    });
  });
});

describe("misspelt and leet actor names", () => {
  it("reads ATP 40 and ATP28 as the APT groups in a cyber context, not tennis", () => {
    expect(actorIds("Malaysia said the hacking group ATP 40 broke into two ministries.")).toEqual(["APT40"]);
    expect(actorIds("Security firms said ATP28 phished Polish officials.")).toEqual(["APT28"]);
    expect(
      actorIds("Fans lost money to phishing sites selling tickets for the ATP 500 event in Vienna."),
    ).toEqual([]);
    expect(actorIds("He rose to No. 40 in the ATP rankings before the ATP 1000 event.")).toEqual([]);
    expect(gazetteer().resolveActor("ATP 40")?.id).toBe("APT40");
  });

  it("reads Cyber Av3ngers and CyberAv3ngers (letters after a digit keep the word's case) as the group", () => {
    expect(actorIds("A group calling itself Cyber Av3ngers hacked water utility controllers.")).toEqual([
      "Cyber Av3ngers",
    ]);
    expect(actorIds("The CyberAv3ngers group defaced controllers.")).toEqual(["Cyber Av3ngers"]);
  });
});
