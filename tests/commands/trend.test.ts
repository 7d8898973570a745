// `/cyber trend`: parsing, resolution like the lookups, weekly counts from the real store, and the chart image.

import { beforeAll, describe, expect, it } from "vitest";
import { routeStory } from "../../src/alerts/routing.js";
import { parseCommand } from "../../src/commands/parse.js";
import { isPrivate } from "../../src/commands/replies.js";
import type { Reply } from "../../src/core/cards.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, file, ManualClock } from "../alerts/fixtures.js";
import { command, handlerFor } from "../helpers/filled-store.js";
import { analyse } from "../helpers/ingest.js";
import { tempDir } from "../helpers/tmp.js";

// Wednesday 2 December 2026: the current week starts on Monday 30 November.
const clock = new ManualClock(Date.parse("2026-12-02T10:00:00Z"));
let store: SqliteStoryStore;

// Different words each, so that no two are merged into one event (an event counts once).
const TOPICS = [
  "a fisheries ministry in Wellington through a phishing lure about quotas",
  "a container port operator in Tauranga by exploiting an old VPN appliance",
  "university researchers in Dunedin with fake conference invitations",
  "a law firm in Auckland via a poisoned software update for billing",
  "an electricity utility in Christchurch by abusing remote maintenance accounts",
  "telecom engineers in Hamilton with malicious router firmware",
  "a pension fund in Nelson through stolen cloud credentials",
];
const APT40 = (n: number) => `Hackers breached ${TOPICS[n]}. Investigators blamed APT40.`;

async function save(path: string, date: string, title: string, body: string): Promise<void> {
  const a = { ...article(path, title, body), date };
  await store.saveArticle(a, analyse(a), file(path), { onSaved: routeStory });
}

const ask = (text: string) => handlerFor(store, clock).handle(command(text));
const field = (r: Reply, label: string) => r.fields.find((f) => f.label === label)?.value ?? "";

beforeAll(async () => {
  store = new SqliteStoryStore(`${tempDir()}/cb.db`, { clock });
  // Over a week apart, so that none joins another's event (an event counts once): this week, the week
  // before, three weeks back, 30 weeks back (only in a 52-week chart), and one in the future (in none).
  const dates = ["2026-12-01", "2026-11-23", "2026-11-09", "2026-05-04", "2027-01-10"];
  for (const [i, date] of dates.entries())
    await save(`/a${i}.txt`, date, (TOPICS[i] ?? "").slice(0, 30), APT40(i));
  await save(
    "/e.txt",
    "2026-11-24",
    "Phishing before the elections",
    "Staff of the Electoral Commission received phishing emails before the elections, the commission said.",
  );
});

describe("parse", () => {
  it("takes a tag and an optional number of weeks", () => {
    expect(parseCommand("trend apt40")).toEqual({
      kind: "trend",
      tag: { kind: "any", value: "apt40" },
      weeks: 26,
    });
    expect(parseCommand("trend sponsor:cn 52w")).toEqual({
      kind: "trend",
      tag: { kind: "sponsor", value: "cn" },
      weeks: 52,
    });
    expect(parseCommand('trend keyword:"electoral commission"')).toMatchObject({
      tag: { kind: "keyword", value: "electoral commission" },
    });
    expect(parseCommand("trend")).toMatchObject({ kind: "usage", topic: "trend" });
    expect(parseCommand("trend apt40 500w")).toMatchObject({
      kind: "usage",
      problem: expect.stringMatching(/4 to 104 weeks/),
    });
  });
});

describe("/cyber trend", () => {
  it("charts an actor by any alias: canonical title, counts per week, PNG with alt text", async () => {
    const r = await ask("trend kryptonite panda");
    expect(r.kind).toBe("answer");
    expect(r.headline).toBe("APT40: 3 stories in 26 weeks");
    const image = r.image;
    if (!image) throw new Error("no image");
    expect(image.title).toBe("APT40: stories per week");
    expect(image.weeks).toHaveLength(26);
    expect(image.weeks.at(-1)).toBe("2026-11-30");
    expect(image.counts.slice(-4)).toEqual([1, 0, 1, 1]);
    expect(image.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(image.alt).toContain("30 Nov: 1");
    expect(image.alt).toContain("16 Nov: 0");
    expect(Buffer.from(image.png).subarray(1, 4).toString()).toBe("PNG");
    expect(field(r, "This week so far")).toBe("1");
    expect(isPrivate(r)).toBe(false);
  });

  it("52w reaches back a year", async () => {
    const r = await ask("trend apt40 52w");
    expect(r.image?.counts).toHaveLength(52);
    expect(r.headline).toBe("APT40: 4 stories in 52 weeks");
  });

  it("charts a country by role, a sector and a keyword", async () => {
    expect((await ask("trend target:nz")).image?.title).toBe("New Zealand (target): stories per week");
    expect((await ask("trend sponsor:china")).headline).toMatch(/^China \(blamed\): \d+ stor/);
    const elections = await ask("trend sector:elections");
    expect(elections.image?.counts.at(-2)).toBe(1);
    const keyword = await ask('trend keyword:"electoral commission"');
    expect(keyword.headline).toBe('"electoral commission": 1 story in 26 weeks');
  });

  it("an unknown name or sector gets one line on what is wrong", async () => {
    const unknown = await ask("trend apt4o");
    expect(unknown.kind).toBe("empty");
    expect(unknown.text.join(" ")).toMatch(/APT40/);
    const sector = await ask("trend sector:hospitals");
    expect(sector.kind).toBe("usage");
    expect(sector.headline).toMatch(/sector:healthcare/);
    expect(sector.image).toBeUndefined();
  });

  it("an empty chart says when the latest older story was, and how to reach back to it", async () => {
    // Only the story of 2026-05-04 (30 weeks back) has these words.
    const empty = await ask('trend keyword:"poisoned software"');
    expect(empty.headline).toBe('"poisoned software": 0 stories in 26 weeks');
    expect(empty.text.join(" ")).toBe(
      'No stories about "poisoned software" in these weeks; the latest is from 2026-05-04. Two years: /cyber trend keyword:"poisoned software" 104w',
    );
    expect((await ask('trend keyword:"poisoned software" 104w')).headline).toMatch(/: 1 story in 104 weeks$/);
    const never = await ask('trend keyword:"sheep shearing"');
    expect(never.text.join(" ")).toBe('No stories about "sheep shearing" in these weeks.');
  });

  it("autocomplete offers the verb, then names after it", () => {
    const handler = handlerFor(store, clock);
    expect(handler.suggest("tre", 10).map((s) => s.value)).toContain("trend");
    expect(handler.suggest("trend kryp", 10).map((s) => s.value)).toContain("trend kryptonite panda");
    expect(handler.suggest("trend sponsor:chi", 10).map((s) => s.value)).toContain("trend sponsor:china");
  });

  it("is in the help", async () => {
    const help = await ask("help");
    expect(help.fields.some((f) => f.label.startsWith("/cyber trend"))).toBe(true);
  });
});
