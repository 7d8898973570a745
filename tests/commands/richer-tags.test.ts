// Issue 15 in chat: lookups by sector, malware, CVE id and attacked country; subscriptions to them and to keyword
// watches (with their limits); the evidence in /cyber story and /cyber why; help. Real analyser, real store.

import { beforeAll, describe, expect, it } from "vitest";
import { routeStory } from "../../src/alerts/routing.js";
import type { Reply } from "../../src/core/cards.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, file, ManualClock } from "../alerts/fixtures.js";
import { command, handlerFor } from "../helpers/filled-store.js";
import { analyse } from "../helpers/ingest.js";
import { tempDir } from "../helpers/tmp.js";

const HOSPITAL_TITLE = "Chinese hackers breach Auckland hospitals with PlugX";
const HOSPITAL =
  "Chinese state-sponsored hackers breached hospitals in Auckland, New Zealand, deploying the PlugX malware after exploiting CVE-2024-3400 in firewalls, officials said. The attack disrupted patient care at the hospitals.";
const MENTION_TITLE = "New Zealand minister opens a trade fair";
const MENTION = "New Zealand's trade minister opened the fair in Wellington on Monday, praising exporters.";
const ELECTION_TITLE = "Phishing emails target election staff";
const ELECTION =
  "Staff of the Electoral Commission received phishing emails before the elections, the commission said.";

const clock = new ManualClock(Date.parse("2026-03-01T10:00:00Z"));
let store: SqliteStoryStore;
let hospitalId = "";
let electionId = "";
const CH = "slack:T1/CRICH";

async function save(path: string, title: string, body: string): Promise<string> {
  const a = article(path, title, body);
  return (await store.saveArticle(a, analyse(a), file(path), { onSaved: routeStory })).storyId;
}

const ask = (text: string, channelRef = CH) => handlerFor(store, clock).handle(command(text, { channelRef }));
const titles = (r: Reply) => r.stories.map((s) => s.title);
const field = (r: Reply, label: string) => r.fields.find((f) => f.label === label)?.value ?? "";

beforeAll(async () => {
  store = new SqliteStoryStore(`${tempDir()}/cb.db`, { clock });
  hospitalId = await save("/hospital.txt", HOSPITAL_TITLE, HOSPITAL);
  await save("/mention.txt", MENTION_TITLE, MENTION);
  electionId = await save("/election.txt", ELECTION_TITLE, ELECTION);
});

describe("lookups", () => {
  it.each(["cve-2024-3400", "CVE-2024-3400", "cve:cve-2024-3400", "cve CVE-2024-3400"])(
    "/cyber %s lists the stories naming the CVE",
    async (text) => {
      const r = await ask(text);
      expect(r.kind).toBe("answer");
      expect(r.headline).toBe("CVE-2024-3400: 1 story");
      expect(titles(r)).toEqual([HOSPITAL_TITLE]);
    },
  );

  it.each([
    "sector healthcare",
    "sector:healthcare",
    "malware plugx",
    "malware:korplug",
    "target:nz",
    "target nz",
  ])("/cyber %s lists the hospital story only", async (text) => {
    const r = await ask(text);
    expect(r.kind).toBe("answer");
    expect(titles(r)).toEqual([HOSPITAL_TITLE]);
  });

  it("target:nz is narrower than country:nz, which keeps any role", async () => {
    expect(titles(await ask("target:nz"))).toEqual([HOSPITAL_TITLE]);
    expect(titles(await ask("country:nz")).sort()).toEqual([HOSPITAL_TITLE, MENTION_TITLE].sort());
    expect((await ask("target:nz")).headline).toBe("🇳🇿 New Zealand: 1 story targeting it");
  });

  it("cards carry the story's sectors, malware and CVE ids", async () => {
    const card = (await ask("sector healthcare")).stories[0];
    expect(card?.sectors).toEqual(["healthcare"]);
    expect(card?.malware).toEqual(["PlugX"]);
    expect(card?.cves).toEqual(["CVE-2024-3400"]);
    expect(card?.note).toBe('matched "hospitals"');
  });

  it("an unknown sector lists the valid ids; an unknown malware name suggests the closest", async () => {
    const sector = await ask("sector banking");
    expect(sector.kind).toBe("usage");
    expect(sector.headline).toMatch(
      /^"banking" is not a sector\. The sectors are: government, elections, .*healthcare/,
    );
    // A victim word of a sector, or the start of one, gets a did-you-mean.
    expect((await ask("subscribe sector:hospitals")).headline).toMatch(
      /^"hospitals" is not a sector\. Did you mean sector:healthcare\? The sectors are: /,
    );
    expect((await ask("sector health")).headline).toContain("Did you mean sector:healthcare?");
    const malware = await ask("malware plugz");
    expect(malware.kind).toBe("usage");
    expect(malware.headline).toMatch(/^I don't know malware called "plugz"\. Did you mean .*PlugX/);
  });

  it("/cyber story and /cyber why show each new tag with its words and where they matched", async () => {
    const at = (word: string) => HOSPITAL.indexOf(word);
    for (const r of [await ask(`story ${hospitalId}`), await ask(`why ${hospitalId}`)]) {
      expect(field(r, "Sector healthcare")).toBe(
        `matched "hospitals" at ${at("hospitals")}, at ${HOSPITAL.lastIndexOf("hospitals")}`,
      );
      expect(field(r, "Malware PlugX")).toBe(`matched "PlugX" at ${at("PlugX")}`);
      expect(field(r, "CVE-2024-3400")).toBe(`named "CVE-2024-3400" at ${at("CVE-")}`);
      expect(field(r, "🇳🇿 New Zealand")).toMatch(/^target; matched "New Zealand"/);
    }
  });
});

describe("subscriptions", () => {
  it("to each new kind, listed, and removed", async () => {
    const ch = "slack:T1/CSUBS";
    const sub = async (tag: string) => (await ask(`subscribe ${tag}`, ch)).headline;
    expect(await sub("target:nz")).toMatch(
      /^Subscribed this channel to target:NZ \(🇳🇿 New Zealand, stories in which it was attacked\)/,
    );
    expect(await sub("sector:healthcare")).toMatch(/^Subscribed this channel to sector:healthcare/);
    expect(await sub("malware:korplug")).toMatch(/^Subscribed this channel to malware:PlugX/);
    expect(await sub("cve:cve-2024-3400")).toMatch(/^Subscribed this channel to cve:CVE-2024-3400/);
    expect(await sub('keyword:"Electoral  Commission"')).toMatch(
      /^Subscribed this channel to keyword:"electoral commission"/,
    );
    const list = await ask("subscriptions", ch);
    expect(list.fields.map((f) => f.label)).toEqual([
      "cve:CVE-2024-3400",
      'keyword:"electoral commission"',
      "malware:PlugX",
      "sector:healthcare",
      "target:NZ",
    ]);
    for (const tag of [
      "target:nz",
      "sector:healthcare",
      "malware:plugx",
      "cve:CVE-2024-3400",
      'keyword:"electoral commission"',
    ])
      expect((await ask(`unsubscribe ${tag}`, ch)).headline).toMatch(/^Unsubscribed this channel from /);
    expect((await ask("subscriptions", ch)).kind).toBe("empty");
  });

  it("a keyword subscription shows the stories with the phrase so far, by search's word forms", async () => {
    clock.advance(60_000);
    const r = await ask('subscribe keyword:"electoral commission"', "slack:T1/CKW");
    expect(titles(r)).toEqual([ELECTION_TITLE]);
    const why = await ask(`why ${electionId}`, "slack:T1/CKW");
    expect(field(why, "This channel")).toBe(
      "not sent: it matches keyword:electoral commission, but was stored before this channel subscribed",
    );
    // The hospital story does not contain the phrase: it is not said to match it.
    expect(field(await ask(`why ${hospitalId}`, "slack:T1/CKW"), "This channel")).toMatch(
      /^filtered: none of/,
    );
  });

  it("a bad CVE id, a long phrase and a hostile 10,000-character phrase each get one line", async () => {
    const bad = await ask("subscribe cve:2024-3400");
    expect(bad.kind).toBe("usage");
    expect(bad.headline).toBe(
      '"2024-3400" is not a CVE id: write CVE-, a four-digit year and four or more digits, e.g. cve:CVE-2024-3400',
    );
    const long = await ask(`subscribe keyword:"${"w".repeat(150)}"`);
    expect(long.kind).toBe("usage");
    expect(long.headline).toMatch(/^That phrase has 150 characters; a keyword watch takes at most 100/);
    const words = await ask('subscribe keyword:"a b c d e f g h i"');
    expect(words.headline).toMatch(/^That phrase has 9 words; a keyword watch takes at most 8/);
    const hostile = await ask(`subscribe keyword:"${"(a+)+".repeat(2000)}"`);
    expect(hostile.kind).toBe("usage");
    expect(hostile.headline).toMatch(/too long/);
    for (const r of [bad, long, words, hostile]) expect(r.headline).not.toContain("\n");
    expect(await store.subscriptions(CH)).toEqual([]);
  });

  it("a phrase of filler words only is refused (it would match nearly every story); a short real word is not", async () => {
    for (const phrase of ['"a"', '"of the"', '"in it"']) {
      const r = await ask(`subscribe keyword:${phrase}`, "console:filler");
      expect(r.kind).toBe("usage");
      expect(r.headline).toMatch(/is in almost every story; watch a phrase that says something/);
    }
    expect((await ask('subscribe keyword:"5G"', "console:filler")).kind).toBe("answer");
  });

  it("an empty malware lookup offers the subscribe form that resolves back to the same family", async () => {
    const none = await ask("malware black basta");
    expect(none.text.join(" ")).toMatch(/\/cyber subscribe malware:"Black Basta \(Windows\)"$/);
    const sub = await ask('subscribe malware:"Black Basta (Windows)"', "console:basta");
    expect(sub.headline).toContain("malware:Black Basta (Windows)");
  });

  it("a channel may have 50 keyword watches: the 51st is refused with one line, a repeat is not", async () => {
    const ch = "slack:T1/CFULL";
    for (let i = 0; i < 50; i++)
      expect((await ask(`subscribe keyword:"phrase ${i}"`, ch)).kind).toBe("answer");
    const refused = await ask('subscribe keyword:"phrase 50"', ch);
    expect(refused.kind).toBe("refused");
    expect(refused.headline).toMatch(
      /^This channel already has 50 keyword watches, the most it can have; remove one first/,
    );
    expect((await ask('subscribe keyword:"phrase 7"', ch)).headline).toMatch(
      /^This channel is already subscribed/,
    );
    expect((await ask("subscribe sector:healthcare", ch)).kind).toBe("answer");
    expect((await store.subscriptions(ch)).length).toBe(51);
  });
});

it("help names the new forms", async () => {
  const text = (await ask("help")).fields.map((f) => `${f.label} ${f.value}`).join("\n");
  for (const form of ["/cyber target", "/cyber sector", "/cyber malware", "CVE-2024-3400", "keyword:"])
    expect(text).toContain(form);
});
