// Routing and digests for issue 15's tags: sectors, malware, CVE ids, attacked countries and keyword watches.

import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildAlert } from "../../src/alerts/alert.js";
import { DigestScheduler } from "../../src/alerts/digest-schedule.js";
import { routeStory } from "../../src/alerts/routing.js";
import type { Analysis } from "../../src/core/article.js";
import { silentLogger } from "../../src/log/logger.js";
import type { DigestPayload } from "../../src/store/digests.js";
import { SEARCH_TOKENIZER } from "../../src/store/sqlite/keywords.js";
import { migrations } from "../../src/store/sqlite/migrations.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { tempDir } from "../helpers/tmp.js";
import { article, deliveries, file, ManualClock, openStore, save, tags } from "./fixtures.js";

const stores: SqliteStoryStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
function store(clock?: ManualClock): SqliteStoryStore {
  const s = openStore(join(tempDir(), "cb.db"), clock);
  stores.push(s);
  return s;
}

const withTags = (more: Partial<Analysis>, countries = {}): Analysis => ({ ...tags([], countries), ...more });
const healthcare = withTags({ sectors: [{ id: "healthcare", matched: [{ text: "hospital", offset: 0 }] }] });
/** Which channels got which tags, by channel (a story's rows are queued in channel id order, not by name). */
const routed = (s: SqliteStoryStore) =>
  deliveries(s)
    .map((d) => [d.channel_ref, d.tags])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));

describe("routing the new tag kinds", () => {
  it("a story with sector healthcare reaches a sector:healthcare channel, not a sector:finance one", async () => {
    const s = store();
    await s.subscribe("slack:T1/HEALTH", "sector:healthcare", "ana");
    await s.subscribe("slack:T1/MONEY", "sector:finance", "ben");
    await save(s, "/h.txt", "Hospital ransomware", healthcare);
    expect(routed(s)).toEqual([["slack:T1/HEALTH", "sector:healthcare"]]);
    // The alert built from that row says why, and its card carries the sector.
    const story = (await s.latest(1)).stories[0];
    if (!story) throw new Error("no story");
    const alert = buildAlert(story, deliveries(s)[0]?.tags ?? "");
    expect(alert.reason).toBe("subscribed to sector:healthcare");
    expect(alert.story.sectors).toEqual(["healthcare"]);
  });

  it("malware and CVE ids route by their keys, CVE ids upper-case", async () => {
    const s = store();
    await s.subscribe("slack:T1/PLUGX", "malware:PlugX", "ana");
    await s.subscribe("slack:T1/CVE", "cve:CVE-2024-3400", "ben");
    await s.subscribe("slack:T1/OTHER", "cve:CVE-2023-0001", "cy");
    const analysis = withTags({
      malware: [{ id: "PlugX", name: "PlugX", matched: [{ text: "Korplug", offset: 0 }] }],
      cves: ["CVE-2024-3400"],
    });
    await save(s, "/p.txt", "PlugX and a firewall bug", analysis);
    expect(routed(s)).toEqual([
      ["slack:T1/CVE", "cve:CVE-2024-3400"],
      ["slack:T1/PLUGX", "malware:PlugX"],
    ]);
  });

  it("target:nz gets only stories in which New Zealand was attacked; country:nz gets any role", async () => {
    const s = store();
    await s.subscribe("slack:T1/TARGET", "target:NZ", "ana");
    await s.subscribe("slack:T1/COUNTRY", "country:NZ", "ben");
    await save(s, "/m.txt", "NZ named in passing", tags([], { NZ: ["mentioned"] }));
    await save(s, "/t.txt", "NZ parliament breached", tags([], { NZ: ["target", "mentioned"] }));
    const rows = deliveries(s).map((d) => [d.story_rowid, d.channel_ref, d.tags]);
    expect(rows.sort((a, b) => String(a).localeCompare(String(b)))).toEqual([
      [1, "slack:T1/COUNTRY", "country:NZ"],
      [2, "slack:T1/COUNTRY", "country:NZ"],
      [2, "slack:T1/TARGET", "target:NZ"],
    ]);
  });
});

describe("keyword watches", () => {
  it("match the phrase in the word forms search finds: 'election' finds 'elections', in title or body", async () => {
    const s = store();
    await s.subscribe("slack:T1/KW", "keyword:electoral commission", "ana");
    await s.subscribe("slack:T1/EL", "keyword:election", "ben");
    await save(s, "/a.txt", "The Electoral Commission's systems", tags([]), "Nothing here about polls.");
    await save(s, "/b.txt", "Quiet day", tags([]), "Local elections were held on Saturday.");
    await save(s, "/c.txt", "Commission electoral", tags([]), "The commission for electoral matters met.");
    expect(deliveries(s).map((d) => [d.story_rowid, d.channel_ref, d.tags])).toEqual([
      [1, "slack:T1/KW", "keyword:electoral commission"],
      [2, "slack:T1/EL", "keyword:election"],
    ]);
    // The same rule as /cyber search.
    expect((await s.search(["election"], 5)).stories.map((x) => x.title)).toEqual(["Quiet day"]);
  });

  it("a keyword and a tag reaching one channel make one alert naming both", async () => {
    const s = store();
    await s.subscribe("slack:T1/C", "keyword:ransomware", "ana");
    await s.subscribe("slack:T1/C", "sector:healthcare", "ana");
    await save(s, "/h.txt", "Hospital ransomware", healthcare, "Ransomware hit the hospital.");
    expect(routed(s)).toEqual([["slack:T1/C", "keyword:ransomware, sector:healthcare"]]);
  });

  it("removed and digest keyword watches are not routed per story", async () => {
    const s = store();
    await s.subscribe("slack:T1/GONE", "keyword:ransomware", "ana");
    await s.unsubscribe("slack:T1/GONE", "keyword:ransomware", "ana");
    await s.subscribe("slack:T1/DAY", "keyword:ransomware", "ana", { mode: "daily", at: "08:00" });
    await save(s, "/h.txt", "Ransomware", tags([]), "Ransomware again.");
    expect(routed(s)).toEqual([]);
  });

  it("read the text with the search index's own tokenizer", () => {
    expect(migrations[0]?.sql).toContain(`tokenize='${SEARCH_TOKENIZER}'`);
  });

  it("still match after a save that rolled back (the scanner's temp table went with it)", async () => {
    const s = store();
    await s.subscribe("slack:T1/KW", "keyword:ransomware", "ana");
    const failing = s.saveArticle(
      article("/x.txt", "Ransomware", "Ransomware here."),
      tags([]),
      file("/x.txt"),
      {
        onSaved: (tx, saved) => {
          routeStory(tx, saved);
          throw new Error("boom");
        },
      },
    );
    await expect(failing).rejects.toThrow("boom");
    await save(s, "/y.txt", "Ransomware again", tags([]), "More ransomware.");
    expect(routed(s)).toEqual([["slack:T1/KW", "keyword:ransomware"]]);
  });

  it("a hostile text and many watches cost one pass: 100,000 repeated words against 50 phrases", async () => {
    const s = store();
    for (let i = 0; i < 50; i++)
      await s.subscribe(`slack:T1/C${i}`, `keyword:the the the the the the the x${i}`, "a");
    await save(s, "/long.txt", "Long", tags([]), `${"the ".repeat(100_000)}x7`);
    expect(routed(s)).toEqual([["slack:T1/C7", "keyword:the the the the the the the x7"]]);
  });
});

describe("digests of the new kinds", () => {
  const DAILY = { mode: "daily" as const, at: "08:00" };
  const payload = (s: SqliteStoryStore) =>
    (s.db.prepare("SELECT payload FROM deliveries WHERE kind = 'digest'").pluck().all() as string[]).map(
      (p) => (JSON.parse(p) as DigestPayload).events.map(([e]) => e),
    );

  it("gather a sector's stories and a keyword's stories of the period", async () => {
    const clock = new ManualClock(Date.parse("2026-12-01T10:00:00Z"));
    const s = store(clock);
    await s.subscribe("slack:T1/H", "sector:healthcare", "ana", DAILY);
    await s.subscribe("slack:T1/K", "keyword:election", "ana", DAILY);
    await save(s, "/h.txt", "Hospital hack", healthcare);
    clock.t += 1000;
    await save(s, "/e.txt", "Poll day", tags([]), "The elections went ahead.");
    clock.t += 1000;
    await save(s, "/x.txt", "Other", tags([]), "Nothing of note.");
    const scheduler = new DigestScheduler({ store: s.digests, zone: "UTC", log: silentLogger(), clock });
    expect(await scheduler.tick(Date.parse("2026-12-02T08:00:30Z"))).toEqual({
      queued: 2,
      exists: 0,
      empty: 0,
    });
    expect(payload(s)).toEqual([[1], [2]]);
  });
});
