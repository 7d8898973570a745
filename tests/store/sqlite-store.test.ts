import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { Analysis } from "../../src/core/article.js";
import { migrate, migrations } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { analysisOf } from "../helpers/analysis.js";
import { paragraphArticle } from "../helpers/article.js";
import { tempDir } from "../helpers/tmp.js";

const article = paragraphArticle;
const tags: Analysis = {
  summary: "s",
  actors: [
    {
      id: "APT40",
      name: "APT40",
      attackId: "G0065",
      sponsor: "CN",
      matched: [{ text: "Leviathan", offset: 0 }],
    },
  ],
  countries: [
    { code: "NZ", name: "New Zealand", roles: ["mentioned"], matched: [{ text: "New Zealand", offset: 3 }] },
    { code: "CN", name: "China", roles: ["sponsor", "mentioned"], matched: [{ text: "Chinese", offset: 9 }] },
  ],
  cyber: true,
  cyberEvidence: [{ text: "Leviathan", offset: 0 }],
  cves: [],
  sectors: [],
  malware: [],
};
const noTags: Analysis = analysisOf({ summary: "s" });
const file = (path: string) => ({ path, size: 10, mtimeMs: 1 });

describe("migrations", () => {
  it("apply on a fresh database and are a no-op the second time", () => {
    const db = new Database(join(tempDir(), "m.db"));
    expect(migrate(db)).toEqual(migrations.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(["stories", "story_tags", "files", "rejections", "stories_fts"]),
    );
    db.close();
  });

  it("reopening a store on the same file keeps its stories", async () => {
    const path = join(tempDir(), "s.db");
    const a = new SqliteStoryStore(path);
    await a.saveArticle(article("/a.txt", "First story."), noTags, file("/a.txt"));
    await a.close();
    const b = new SqliteStoryStore(path);
    expect((await b.stats()).stories).toBe(1);
    expect((b.db.pragma("journal_mode", { simple: true }) as string).toLowerCase()).toBe("wal");
    await b.close();
  });
});

describe("saving articles", () => {
  it("stores new, then unchanged, duplicate under another path, and a revision on change", async () => {
    const store = new SqliteStoryStore(join(tempDir(), "s.db"));
    const first = await store.saveArticle(article("/a.txt", "Alpha body."), tags, file("/a.txt"));
    expect(first).toMatchObject({ kind: "new", revision: 1 });
    expect(first.storyId).toMatch(/^[0-9a-f]{8}$/);
    expect((await store.saveArticle(article("/a.txt", "Alpha body."), tags, file("/a.txt"))).kind).toBe(
      "unchanged",
    );
    expect(await store.saveArticle(article("/b.txt", "Alpha body."), tags, file("/b.txt"))).toMatchObject({
      kind: "duplicate",
      storyId: first.storyId,
    });
    expect(
      await store.saveArticle(article("/a.txt", "Alpha body, edited."), noTags, file("/a.txt")),
    ).toMatchObject({
      kind: "revised",
      storyId: first.storyId,
      revision: 2,
    });
    const s = await store.stats();
    expect(s).toMatchObject({ stories: 1, revisions: 1, files: 2 });
    const story = await store.getStory(first.storyId.slice(0, 5));
    expect(story).toMatchObject({ body: "Alpha body, edited.", revision: 2, actors: [] });
    await store.close();
  });

  it("keeps the full-text index in sync on insert and revision", async () => {
    const store = new SqliteStoryStore(join(tempDir(), "s.db"));
    await store.saveArticle(article("/a.txt", "Parliament espionage campaign."), tags, file("/a.txt"));
    expect((await store.search(["parliament"], 5)).total).toBe(1);
    await store.saveArticle(article("/a.txt", "Electoral commission breach."), tags, file("/a.txt"));
    expect((await store.search(["parliament"], 5)).total).toBe(0);
    expect((await store.search(["electoral", "breach"], 5)).total).toBe(1);
    await store.close();
  });

  it("finds stories by actor, by country in any role, and by sponsor role only", async () => {
    const store = new SqliteStoryStore(join(tempDir(), "s.db"));
    await store.saveArticle(article("/a.txt", "One."), tags, file("/a.txt"));
    await store.saveArticle(article("/b.txt", "Two.", { date: "2024-04-01" }), noTags, file("/b.txt"));
    expect((await store.byTag({ kind: "actor", id: "APT40" }, 5)).total).toBe(1);
    expect((await store.byTag({ kind: "country", code: "nz" }, 5)).total).toBe(1);
    expect((await store.byTag({ kind: "country", code: "NZ", role: "sponsor" }, 5)).total).toBe(0);
    expect((await store.byTag({ kind: "country", code: "CN", role: "sponsor" }, 5)).total).toBe(1);
    const latest = await store.latest(5);
    expect(latest.stories.map((s) => s.title)).toEqual(["Two", "One"]);
    expect(latest.stories[1]?.actors[0]?.matched[0]?.text).toBe("Leviathan");
    await store.close();
  });

  it("treats FTS syntax in search terms as literal text", async () => {
    const store = new SqliteStoryStore(join(tempDir(), "s.db"));
    await store.saveArticle(article("/a.txt", "Plain words here."), noTags, file("/a.txt"));
    for (const term of ['"', "*", "NEAR(", "OR", "-", ":", 'a" OR "b', "title:plain", "plain*"]) {
      await expect(store.search([term], 5)).resolves.toBeDefined();
    }
    expect((await store.search(["plain", "OR", "nothing"], 5)).total).toBe(0);
    await store.close();
  });
});

describe("rejections", () => {
  it("are fresh only the first time a reason is seen, and cleared when the file is later stored", async () => {
    const store = new SqliteStoryStore(join(tempDir(), "s.db"));
    expect(await store.recordRejection(file("/x.txt"), "empty", "no content")).toEqual({ fresh: true });
    expect(await store.recordRejection(file("/x.txt"), "empty", "no content")).toEqual({ fresh: false });
    expect(await store.recordRejection(file("/x.txt"), "binary", "NUL")).toEqual({ fresh: true });
    expect((await store.rejections()).map((r) => r.reason)).toEqual(["binary"]);
    await store.saveArticle(article("/x.txt", "Now fine."), noTags, file("/x.txt"));
    expect(await store.rejections()).toEqual([]);
    await store.close();
  });
});

describe("health", () => {
  it("is ok while the database is open and says why not once it is closed", async () => {
    const store = new SqliteStoryStore(join(tempDir(), "s.db"));
    expect(await store.health()).toEqual({ ok: true });
    await store.close();
    expect(await store.health()).toEqual({ ok: false, detail: "the database is closed" });
  });
});
