// Tokenizer and token trie: keys, longest match, word boundaries and case rules as the analyser sees them.

import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import { codeAt, phraseKeys, upperToken } from "../../src/analysis/token-keys.js";
import { CAP, createTokens, GLUED, POSS, SENT, tokenize } from "../../src/analysis/tokenizer.js";
import { TokenTrie } from "../../src/analysis/trie.js";
import { articleFromMarkdown, gazetteer } from "./helpers.js";

const analyse = createAnalyser(gazetteer());
const tag = (text: string) => analyse(articleFromMarkdown(`# Note\n\n${text}`));
const actorIds = (text: string) => tag(text).actors.map((a) => a.id);
const countryCodes = (text: string) => tag(text).countries.map((c) => c.code);

describe("tokenizer", () => {
  it("splits letters from digits so codename spellings share a key", () => {
    expect(phraseKeys("APT40")).toEqual(["apt", "40"]);
    expect(phraseKeys("APT 40")).toEqual(["apt", "40"]);
    expect(phraseKeys("apt-40")).toEqual(["apt", "40"]);
    expect(phraseKeys("Storm-0558")).toEqual(["storm", "0558"]);
  });

  it("folds case and diacritics, and drops a possessive 's from the key", () => {
    expect(phraseKeys("Türkiye")).toEqual(["turkiye"]);
    expect(phraseKeys("People's Republic of China")).toEqual(["people", "republic", "of", "china"]);
    const t = tokenize("China’s GRU. US");
    expect(t.n).toBe(3);
    expect((t.flags[0] as number) & POSS).toBe(POSS);
    expect(upperToken(t, 1)).toBe(true);
    expect(upperToken(t, 0)).toBe(false);
    expect((t.flags[2] as number) & SENT).toBe(SENT);
    expect((t.flags[2] as number) & CAP).toBe(CAP);
  });

  it("marks a digit run glued to letters", () => {
    const t = tokenize("APT40 APT 40");
    expect([...t.flags.slice(0, t.n)].map((f) => (f & GLUED) !== 0)).toEqual([false, true, false, false]);
  });
});

describe("token trie", () => {
  const trie = new TokenTrie<string>();
  for (const name of ["Guinea", "Papua New Guinea", "New Zealand", "APT40", "APT4"])
    trie.insert(phraseKeys(name), name);
  const match = (text: string) => trie.matchAll(tokenize(text)).flatMap((m) => m.entries);

  it("takes the longest match at each position", () => {
    expect(match("Papua New Guinea and Guinea")).toEqual(["Papua New Guinea", "Guinea"]);
    expect(match("New Zealand")).toEqual(["New Zealand"]);
  });

  it("respects word boundaries", () => {
    expect(match("Guineas Zealanders NewZealand")).toEqual([]);
    expect(match("APT40s XAPT40 APT400")).toEqual([]);
    expect(match("APT4 and APT40")).toEqual(["APT4", "APT40"]);
  });

  it("matches across a single space, hyphen or dot but not across punctuation", () => {
    expect(match("APT-40, APT 40, APT.40")).toEqual(["APT40", "APT40", "APT40"]);
    expect(match("New, Zealand")).toEqual([]);
  });

  it("finds names inserted after it has matched (its compiled tables are rebuilt)", () => {
    const later = new TokenTrie<string>();
    later.insert(phraseKeys("Türkiye"), "Türkiye");
    const found = (text: string) => later.matchAll(tokenize(text)).flatMap((m) => m.entries);
    expect(found("Turkiye and New Zealand")).toEqual(["Türkiye"]);
    later.insert(phraseKeys("New Zealand"), "New Zealand");
    expect(found("Turkiye and New Zealand")).toEqual(["Türkiye", "New Zealand"]);
  });
});

describe("the tokens' code units", () => {
  it("copy any string exactly, a lone surrogate and a slice included, with nothing stale past the end", () => {
    const text = "Breaking: \ud800 Türkiye’s CERT — APT40 strikes again, officials said.";
    const t = createTokens(4);
    for (const s of [text, text.slice(3, 40), "", "x", text.slice(0, 12)]) {
      tokenize(s, t);
      expect(Array.from(t.codes.subarray(0, s.length))).toEqual(Array.from(s, (_, i) => s.charCodeAt(i)));
      // A longer text tokenised before leaves no comma or stop to be read after this one's last token.
      expect(codeAt(t, s.length)).toBe(0);
    }
  });
});

describe("actor case and context rules", () => {
  it("matches codenames in any case and spelling", () => {
    for (const s of ["APT40", "apt40", "APT 40", "Apt-40", "G0065", "ta423", "TA 423"]) {
      expect(actorIds(`Researchers tied the intrusion to ${s} last week.`)).toEqual(["APT40"]);
    }
    expect(actorIds("Microsoft said STORM-0558 and dev-0537 were active.")).toEqual(["Storm-0558", "LAPSUS"]);
  });

  it("counts ordinary-word aliases only when capitalised and in cyber context", () => {
    expect(actorIds("The Leviathan group phished shipbuilders.")).toEqual(["APT40"]);
    expect(actorIds("Investigators said Leviathan used new malware against universities.")).toEqual([
      "APT40",
    ]);
    expect(actorIds("The leviathan group phished shipbuilders.")).toEqual([]);
    expect(actorIds("Hobbes wrote that the Leviathan needs a sovereign with authority.")).toEqual([]);
    expect(actorIds("Silence fell over the room as the hackers were sentenced.")).toEqual([]);
    expect(actorIds("Jesus raised Lazarus from the dead, the gospel says.")).toEqual([]);
    expect(actorIds("Lazarus stole $600 million in cryptocurrency, the FBI said.")).toEqual([
      "Lazarus Group",
    ]);
  });

  it("accepts an ordinary alias when the same actor is named unambiguously elsewhere", () => {
    expect(actorIds("APT40 is back. Officials said Leviathan was reading mail again.")).toEqual(["APT40"]);
  });

  it("keeps evidence: the exact strings and their body offsets", () => {
    const text = "Kryptonite Panda, or apt 40, hit Perth.";
    const [apt40] = tag(text).actors;
    expect(apt40?.matched).toEqual([
      { text: "Kryptonite Panda", offset: 0 },
      { text: "apt 40", offset: 21 },
    ]);
  });

  it("does not trust capitals in a title-cased line for names made of ordinary words", () => {
    expect(tag("Big Panda Born At City Zoo").actors).toEqual([]);
    expect(actorIds("Fancy Bear Hackers Target Embassies").map((id) => id)).toEqual(["APT28"]);
    expect(actorIds("Microsoft said Volt Typhoon targeted telecommunications in Guam.")).toEqual([
      "Volt Typhoon",
    ]);
  });

  it("ignores an ordinary word inside a longer proper noun", () => {
    expect(actorIds("Criminals loaded Cobalt Strike beacons onto the compromised servers.")).toEqual([]);
  });
});

describe("country rules", () => {
  it("reads names, demonyms, abbreviations and agencies", () => {
    expect(
      countryCodes("The U.S. and the UK joined Australian and PRC officials; the GCSB said so."),
    ).toEqual(["US", "GB", "AU", "CN", "NZ"]);
  });

  it("does not read pronouns, birds, US states or people as countries", () => {
    expect(
      countryCodes(
        "Tell us about the turkey dinner in Atlanta, Georgia, with Jordan Peterson and Chad Smith.",
      ),
    ).toEqual([]);
    expect(countryCodes("Officials in New Mexico and New Jersey met.")).toEqual([]);
  });

  it("reads capitals only when they stand for a government", () => {
    expect(countryCodes("Beijing denied the report.")).toEqual(["CN"]);
    expect(countryCodes("The conference was held in Beijing.")).toEqual([]);
    expect(countryCodes("Sarah Wellington said the Wellington Phoenix won.")).toEqual([]);
    expect(countryCodes("The Kremlin said nothing.")).toEqual(["RU"]);
  });

  it("prefers the longest country name", () => {
    expect(countryCodes("Papua New Guinea signed a deal with Guinea-Bissau.")).toEqual(["PG", "GW"]);
  });
});

describe("sponsor and mentioned roles", () => {
  const roles = (text: string) =>
    Object.fromEntries(tag(text).countries.map((c) => [c.code, c.roles.join("+")]));

  it("reads attribution phrasing as sponsor", () => {
    expect(roles("A China-backed group hit the ministry.")).toEqual({ CN: "sponsor+mentioned" });
    expect(roles("The intrusion was linked to Russia's GRU.")).toEqual({ RU: "sponsor+mentioned" });
    expect(roles("Researchers said the hackers were backed by Beijing.")).toEqual({
      CN: "sponsor+mentioned",
    });
    expect(roles("Iranian state-sponsored hackers phished Israeli engineers.")).toEqual({
      IR: "sponsor+mentioned",
      IL: "mentioned",
    });
  });

  it("gives a named actor's suspected sponsor only where the article ties the actor to that state", () => {
    expect(tag("Investigators blamed APT41 for the breach.").countries).toEqual([]);
    const [cn] = tag(
      "Investigators blamed APT41, a Chinese state-sponsored group, for the breach.",
    ).countries;
    expect(cn).toMatchObject({ code: "CN", roles: ["sponsor", "mentioned"] });
    expect(cn?.matched.map((e) => e.text)).toEqual(["APT41", "Chinese"]);
  });

  it("does not read ordinary mentions as sponsor", () => {
    expect(roles("Chinese group Fosun bought a hotel in Lisbon.")).toEqual({ CN: "mentioned" });
    expect(roles("Australian intelligence agencies warned businesses about phishing.")).toEqual({
      AU: "mentioned",
    });
    expect(roles("Russian-speaking criminals sold access to a hospital in Germany.")).toEqual({
      DE: "mentioned",
    });
  });
});
