// Target countries: victims named by the article, never the accuser for accusing nor the blamed for the same words.

import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import type { Analysis } from "../../src/core/article.js";
import { articleOf, gazetteer, seedArticle } from "./helpers.js";

const analyse = createAnalyser(gazetteer());

/** Analyse a one-paragraph article (and an optional title); the text carries its own cyber vocabulary. */
function tag(text: string, title = "Report"): Analysis {
  return analyse(articleOf("/t/a.md", title, [{ kind: "paragraph", text }]));
}
const withRole = (a: Analysis, role: string) =>
  a.countries.filter((c) => c.roles.includes(role as "target")).map((c) => c.code);
const targets = (text: string, title?: string) => withRole(tag(text, title), "target").sort();

describe("target countries", () => {
  it("makes New Zealand, Australia and the United Kingdom targets of the seed article, and China only its sponsor", () => {
    const result = analyse(seedArticle());
    expect(withRole(result, "target").sort()).toEqual(["AU", "GB", "NZ"]);
    expect(withRole(result, "sponsor")).toEqual(["CN"]);
    expect(result.countries.find((c) => c.code === "NZ")?.roles).toEqual(["target", "mentioned"]);
  });

  it("does not make the accuser a target for accusing", () => {
    const a = tag(
      "New Zealand accused China of cyber espionage and said Chinese state-sponsored hackers ran a malware campaign.",
    );
    expect(withRole(a, "target")).toEqual([]);
    expect(withRole(a, "sponsor")).toEqual(["CN"]);
  });

  it("makes the country whose parliament was breached a target", () => {
    expect(
      targets("Hackers breached New Zealand's parliament in a cyber espionage campaign, officials said."),
    ).toEqual(["NZ"]);
  });

  it("makes Taiwan a target when Chinese hackers spied on Taiwanese officials, and China only the sponsor", () => {
    const a = tag(
      "Chinese hackers spied on Taiwanese officials for months using a custom backdoor and phishing lures.",
    );
    expect(withRole(a, "target")).toEqual(["TW"]);
    expect(a.countries.find((c) => c.code === "CN")?.roles).toEqual(["sponsor", "mentioned"]);
  });

  it("reads passives, lists after 'including', headlines and 'among the victims'", () => {
    expect(
      targets("Australian government systems were hacked by a ransomware gang, the cyber agency said."),
    ).toEqual(["AU"]);
    expect(
      targets(
        "The hackers ran cyberattacks against several nations, including the United Kingdom, and stole data.",
      ),
    ).toEqual(["GB"]);
    expect(targets("The malware spread through phishing emails.", "Georgian ministries targeted")).toEqual([
      "GE",
    ]);
    expect(
      targets("Ransomware hit hospitals; clinics in Estonia and Latvia were among the victims."),
    ).toEqual(["EE", "LV"]);
  });

  it("makes the country whose own networks it reports breached a target ('its', 'their', 'local')", () => {
    expect(
      targets(
        "The UK said the cyberattack on its Electoral Commission was the work of Chinese state hackers.",
      ),
    ).toEqual(["GB"]);
    expect(
      targets(
        "Canada and Australia later disclosed that local carriers had also been probed by the same hackers.",
      ),
    ).toEqual(["AU", "CA"]);
  });

  it("makes no target of a host, a speaker, a hacking group's base or a country in a non-cyber article", () => {
    expect(
      targets("Germany hosted a cyber conference where researchers discussed hackers and malware."),
    ).toEqual([]);
    // (An unowned "the power grid" would be the home country's: see the institution rule below.)
    expect(
      targets("Hackers using malware breached Ukraine's power grid and Poland said it would respond."),
    ).toEqual(["UA"]);
    expect(
      targets(
        "The espionage group hijacked servers belonging to another hacking group in Pakistan to hide malware.",
      ),
    ).toEqual([]);
    expect(targets("Russia attacked Ukraine's ports with drones overnight, the navy said.")).toEqual([]);
  });

  it("keeps each target's evidence at the right offset", () => {
    const text =
      "Chinese hackers spied on Taiwanese officials for months using a custom backdoor and phishing lures.";
    const tw = tag(text).countries.find((c) => c.code === "TW");
    const e = tw?.matched[0];
    expect(e && text.slice(e.offset, e.offset + e.text.length)).toBe("Taiwanese");
  });

  it("gives victims named as institutions to the article's home country", () => {
    expect(
      targets(
        "The United Kingdom has sanctioned a front company over a hacking campaign by APT31. Ministers said the group " +
          "accessed the Electoral Commission's servers and targeted MPs who criticise Beijing.",
      ),
    ).toEqual(["GB"]);
    expect(
      targets(
        "New Zealand has attributed a 2021 compromise of the Parliamentary Counsel Office to APT40, a state-backed group.",
      ),
    ).toEqual(["NZ"]);
    expect(
      targets(
        "A ransomware attack that forced London hospitals to cancel operations was carried out by a cybercriminal " +
          "gang. British officials said the hackers stole patient data.",
      ),
    ).toEqual(["GB"]);
    expect(
      targets(
        "Georgia election officials said county workers received phishing emails. CISA sent a team to help.",
      ),
    ).toEqual(["US"]);
  });

  it("does not give the home country victims that are elsewhere, owned by another country, or a person's", () => {
    expect(
      targets(
        "Australia's ASD said the hackers had compromised two government departments in the Philippines.",
      ),
    ).toEqual(["PH"]);
    expect(
      targets(
        "Britain and the US sanctioned a hosting firm that helped ransomware affiliates launch attacks against " +
          "hospitals worldwide.",
      ),
    ).toEqual([]);
    expect(
      targets(
        "A Ukrainian man managed hackers who sent phishing emails with malicious attachments to employees.",
      ),
    ).toEqual([]);
  });

  it("reads 'has encrypted' as active and steps over a relative clause to the passive", () => {
    expect(targets("A ransomware gang based in Russia has encrypted the servers of a college.")).toEqual([]);
    expect(
      targets(
        "Officials in Guam, which hosts military bases, were among the victims of the hacking campaign.",
      ),
    ).toEqual(["GU"]);
  });

  it("makes a place's country a target where the place locates a victim, and only there", () => {
    // A US state, a capital read as a place, a large city.
    expect(targets("The ransomware gang cripples Ohio hospital network, the hackers said.")).toEqual(["US"]);
    expect(targets("Hackers broke into a London law firm and encrypted its files with ransomware.")).toEqual([
      "GB",
    ]);
    expect(
      targets(
        "The hackers sent a malicious test to an employee of a Tokyo-based wallet firm in a phishing lure.",
      ),
    ).toEqual(["JP"]);
    // A place that locates no victim, a firm named after a state, and a place in a non-cyber story tag nothing.
    const hidden = tag(
      "The Russian embassy in Warsaw did not respond to questions about the hacking campaign.",
    );
    expect(hidden.countries.map((c) => c.code)).toEqual(["RU"]);
    expect(targets("Hackers breached Texas Instruments with ransomware, the firm said.")).toEqual([]);
    expect(tag("A storm hit Ohio farms and crippled Texas roads.").countries).toEqual([]);
  });

  it("reads phrasal attacks: took over, tampered with, gone after, used against, cut ... to, break into", () => {
    expect(targets("The hackers took over controllers at several US water utilities.")).toEqual(["US"]);
    expect(targets("Hacktivists tampered with Irish water controllers, the utility said.")).toEqual(["IE"]);
    expect(
      targets("The hacking group has also gone after activists inside Iran with phishing and malware."),
    ).toEqual(["IR"]);
    expect(
      targets("Ukraine's CERT-UA saw the exploit used against its own state bodies by the hackers."),
    ).toEqual(["UA"]);
    expect(targets("The malware was deployed against Polish ministries in the hacking campaign.")).toEqual([
      "PL",
    ]);
    expect(targets("The hackers cut water supply to Irish villages in a cyberattack.")).toEqual(["IE"]);
  });

  it("reads exploitation at, mail read at, and thefts from a victim", () => {
    expect(
      targets(
        "Researchers first saw the exploitation at a US government agency, the firm said of the malware.",
      ),
    ).toEqual(["US"]);
    expect(
      targets(
        "The hackers used a forged token to read email at about 25 organisations, including the US State Department.",
      ),
    ).toEqual(["US"]);
    expect(
      targets("Police blamed the hackers for the theft of $308 million from the Japanese crypto exchange."),
    ).toEqual(["JP"]);
  });

  it("gives the home country its treasury and institutions, but not institutions in Europe", () => {
    expect(
      targets(
        "US officials said the Sunburst backdoor let Russian hackers pick their victims, including the Treasury.",
      ),
    ).toEqual(["US"]);
    expect(
      targets("Poland said the hackers had taken over mailboxes at public institutions with a backdoor."),
    ).toEqual(["PL"]);
    expect(
      targets(
        "Poland's cyber command said the hackers broke into government and energy organisations in Europe with a backdoor.",
      ),
    ).toEqual([]);
  });
});
