// Issue 15's tags in the store: migration 8 (over a version-7 database with rows), sector, malware, CVE and
// target rows with their evidence, the read paths, one listing per event, and export.

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { Analysis } from "../../src/core/article.js";
import { migrate, migrations } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, file, openStore, save, tags } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

/** A cyber story on hospitals, with PlugX and a CVE, and New Zealand attacked. */
function hospitalHack(extra: Partial<Analysis> = {}): Analysis {
  return {
    ...tags(["APT40"], { NZ: ["target", "mentioned"], CN: ["sponsor"] }),
    sectors: [{ id: "healthcare", matched: [{ text: "hospitals", offset: 12 }] }],
    malware: [{ id: "PlugX", name: "PlugX", matched: [{ text: "Korplug", offset: 40 }] }],
    cves: ["CVE-2024-3400"],
    ...extra,
  };
}

const HOSPITAL_BODY = "Attackers at hospitals in Auckland used Korplug and exploited cve-2024-3400 there.";

describe("migration 8", () => {
  it("rebuilds story_tags over a version-7 database: rows, shown and event kept, indexes back, target and CVE rows added", () => {
    const db = new Database(":memory:");
    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 7),
      ),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const story = db.prepare(
      `INSERT INTO stories (rowid, id, path, content_hash, date, title, body, summary, ingested_at, updated_at,
         event_rowid, tags_json) VALUES (?, ?, ?, ?, '2024-03-12', 't', 'b', 's', 'now', 'now', ?, ?)`,
    );
    const nzTarget = JSON.stringify({
      actors: [],
      countries: [{ code: "NZ", name: "New Zealand", roles: ["target"], matched: [] }],
      cves: ["CVE-2024-3400"],
    });
    story.run(1, "lead", "/a.md", "a", null, nzTarget);
    story.run(2, "later", "/b.md", "b", 1, nzTarget);
    story.run(3, "old", "/c.md", "c", null, '{"actors":[],"countries":[]}');
    const tag = db.prepare(
      `INSERT INTO story_tags (story_rowid, kind, value, role, matched_json, date, shown, event_rowid)
       VALUES (?, 'country', ?, '', '["NZ"]', '2024-03-12', ?, ?)`,
    );
    tag.run(1, "NZ", 1, null);
    tag.run(2, "NZ", 0, 1);
    tag.run(2, "AU", 1, 1);

    expect(migrate(db, migrations.slice(0, 8))).toEqual([8]);
    expect(migrate(db, migrations.slice(0, 8))).toEqual([]);
    const rows = db
      .prepare(
        "SELECT story_rowid, kind, value, role, matched_json, shown, event_rowid FROM story_tags ORDER BY story_rowid, kind, value, role",
      )
      .all();
    expect(rows).toEqual([
      {
        story_rowid: 1,
        kind: "country",
        value: "NZ",
        role: "",
        matched_json: '["NZ"]',
        shown: 1,
        event_rowid: null,
      },
      {
        story_rowid: 1,
        kind: "country",
        value: "NZ",
        role: "target",
        matched_json: "[]",
        shown: 1,
        event_rowid: null,
      },
      {
        story_rowid: 1,
        kind: "cve",
        value: "CVE-2024-3400",
        role: "",
        matched_json: "[]",
        shown: 1,
        event_rowid: null,
      },
      {
        story_rowid: 2,
        kind: "country",
        value: "AU",
        role: "",
        matched_json: '["NZ"]',
        shown: 1,
        event_rowid: 1,
      },
      {
        story_rowid: 2,
        kind: "country",
        value: "NZ",
        role: "",
        matched_json: '["NZ"]',
        shown: 0,
        event_rowid: 1,
      },
      // The event's first story has these: the later one does not list the event a second time.
      {
        story_rowid: 2,
        kind: "country",
        value: "NZ",
        role: "target",
        matched_json: "[]",
        shown: 0,
        event_rowid: 1,
      },
      {
        story_rowid: 2,
        kind: "cve",
        value: "CVE-2024-3400",
        role: "",
        matched_json: "[]",
        shown: 0,
        event_rowid: 1,
      },
    ]);
    const indexes = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'story_tags' ORDER BY name",
      )
      .all() as Array<{ name: string; sql: string | null }>;
    expect(indexes.map((i) => i.name)).toEqual([
      "sqlite_autoindex_story_tags_1",
      "story_tags_by_tag",
      "story_tags_shown_by_event",
    ]);
    expect(indexes[2]?.sql).toContain("WHERE shown = 1 AND event_rowid IS NOT NULL");
    db.prepare(
      "INSERT INTO story_tags (story_rowid, kind, value, role, date) VALUES (3, 'sector', 'healthcare', '', '2024-03-12')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO story_tags (story_rowid, kind, value, role, date) VALUES (3, 'bogus', 'x', '', 'd')",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it("a store opened on a version-7 file reads its old stories with empty sectors, malware and CVEs", async () => {
    const path = `${tempDir()}/v7.db`;
    const db = new Database(path);
    migrate(
      db,
      migrations.filter((m) => m.version <= 7),
    );
    db.prepare(
      `INSERT INTO stories (id, path, content_hash, date, title, body, summary, ingested_at, updated_at, tags_json)
       VALUES ('abcd1234', '/a.md', 'h', '2024-03-12', 'Old', 'b', 's', 'now', 'now', '{"actors":[],"countries":[]}')`,
    ).run();
    db.close();
    const store = new SqliteStoryStore(path);
    const story = await store.getStory("abcd1234");
    expect(story).toMatchObject({ title: "Old", sectors: [], malware: [], cves: [], cveMatched: {} });
    expect((await store.latest(5)).stories[0]).toMatchObject({ sectors: [], malware: [], cves: [] });
    await store.close();
  });
});

describe("sector, malware, CVE and target tags", () => {
  it("are stored as rows with their evidence (words and offsets) and read back by every path", async () => {
    const store = openStore();
    const { storyId } = await save(store, "/h.txt", "Hospital hack", hospitalHack(), HOSPITAL_BODY);
    const rows = store.db
      .prepare(
        "SELECT kind, value, role, matched_json FROM story_tags WHERE kind != 'actor' ORDER BY kind, value, role",
      )
      .all();
    expect(rows).toEqual([
      { kind: "country", value: "CN", role: "", matched_json: '["CN"]' },
      { kind: "country", value: "CN", role: "sponsor", matched_json: "[]" },
      { kind: "country", value: "NZ", role: "", matched_json: '["NZ"]' },
      { kind: "country", value: "NZ", role: "target", matched_json: "[]" },
      {
        kind: "cve",
        value: "CVE-2024-3400",
        role: "",
        matched_json: JSON.stringify([{ text: "cve-2024-3400", offset: HOSPITAL_BODY.indexOf("cve-") }]),
      },
      { kind: "malware", value: "PlugX", role: "", matched_json: '[{"text":"Korplug","offset":40}]' },
      { kind: "sector", value: "healthcare", role: "", matched_json: '[{"text":"hospitals","offset":12}]' },
    ]);
    const record = await store.getStory(storyId);
    expect(record?.sectors).toEqual(hospitalHack().sectors);
    expect(record?.malware).toEqual(hospitalHack().malware);
    expect(record?.cves).toEqual(["CVE-2024-3400"]);
    expect(record?.cveMatched).toEqual({
      "CVE-2024-3400": [{ text: "cve-2024-3400", offset: HOSPITAL_BODY.indexOf("cve-") }],
    });
    for (const page of [
      await store.latest(5),
      await store.search(["hospitals"], 5),
      await store.byTag({ kind: "sector", id: "healthcare" }, 5),
    ])
      expect(page.stories[0]).toMatchObject({ sectors: hospitalHack().sectors, cves: ["CVE-2024-3400"] });
    await store.close();
  });

  it("are queried by tag: sector, malware, CVE in any case, and a country as target apart from any role", async () => {
    const store = openStore();
    await save(store, "/h.txt", "Hospital hack", hospitalHack(), HOSPITAL_BODY);
    await save(store, "/m.txt", "NZ only mentioned", tags([], { NZ: ["mentioned"] }));
    const titles = async (q: Parameters<SqliteStoryStore["byTag"]>[0]) =>
      (await store.byTag(q, 10)).stories.map((s) => s.title);
    expect(await titles({ kind: "sector", id: "healthcare" })).toEqual(["Hospital hack"]);
    expect(await titles({ kind: "sector", id: "finance" })).toEqual([]);
    expect(await titles({ kind: "malware", id: "PlugX" })).toEqual(["Hospital hack"]);
    expect(await titles({ kind: "cve", id: "cve-2024-3400" })).toEqual(["Hospital hack"]);
    expect(await titles({ kind: "country", code: "nz", role: "target" })).toEqual(["Hospital hack"]);
    expect((await titles({ kind: "country", code: "NZ" })).sort()).toEqual([
      "Hospital hack",
      "NZ only mentioned",
    ]);
    await store.close();
  });

  it("an event is listed once under a sector: a later source with the same sector is not shown again", async () => {
    const store = openStore();
    const body = `${HOSPITAL_BODY} ${"Ward systems were encrypted and patient records taken. ".repeat(8)}`;
    await save(store, "/a.txt", "Hospital hack", hospitalHack(), body);
    // The same text from another outlet: a near-copy, so the same event.
    await save(store, "/b.txt", "Hospital hack", hospitalHack(), `${body} Reported by another outlet.`);
    const events = store.db
      .prepare("SELECT count(*) FROM stories WHERE event_rowid IS NOT NULL")
      .pluck()
      .get();
    expect(events).toBe(1);
    const page = await store.byTag({ kind: "sector", id: "healthcare" }, 10);
    expect(page.total).toBe(1);
    expect(page.stories).toHaveLength(1);
    expect((await store.byTag({ kind: "cve", id: "CVE-2024-3400" }, 10)).total).toBe(1);
    expect((await store.byTag({ kind: "country", code: "NZ", role: "target" }, 10)).total).toBe(1);
    await store.close();
  });

  it("export gives each event its sources' sectors, malware and CVE ids once", async () => {
    const store = openStore();
    const body = `${HOSPITAL_BODY} ${"Ward systems were encrypted and patient records taken. ".repeat(8)}`;
    await save(store, "/a.txt", "Hospital hack", hospitalHack(), body);
    const more = hospitalHack({
      sectors: [
        { id: "healthcare", matched: [{ text: "clinic", offset: 3 }] },
        { id: "research", matched: [{ text: "laboratory", offset: 9 }] },
      ],
      cves: ["CVE-2024-3400", "CVE-2023-1111"],
    });
    await save(store, "/b.txt", "Hospital hack", more, `${body} Reported by another outlet.`);
    const events = [];
    for await (const e of store.exportEvents()) events.push(e);
    expect(events).toHaveLength(1);
    expect(events[0]?.sectors).toEqual([
      { id: "healthcare", matched: [{ text: "hospitals", offset: 12 }] },
      { id: "research", matched: [{ text: "laboratory", offset: 9 }] },
    ]);
    expect(events[0]?.malware.map((m) => m.id)).toEqual(["PlugX"]);
    expect(events[0]?.cves).toEqual(["CVE-2024-3400", "CVE-2023-1111"]);
    await store.close();
  });
});

it("a revision that drops a sector removes its row", async () => {
  const store = openStore();
  await store.saveArticle(article("/r.txt", "Rev", HOSPITAL_BODY), hospitalHack(), file("/r.txt"));
  await store.saveArticle(article("/r.txt", "Rev", `${HOSPITAL_BODY} More.`), hospitalHack({ sectors: [] }), {
    ...file("/r.txt"),
    mtimeMs: 2,
  });
  expect((await store.byTag({ kind: "sector", id: "healthcare" }, 5)).total).toBe(0);
  await store.close();
});
