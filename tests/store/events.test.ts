// Events in the store: a later copy or report joins the event of the first, through the indexes, within a window.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnalyser, loadGazetteer } from "../../src/analysis/index.js";
import { eventFacts } from "../../src/analysis/same-event.js";
import { sketchKeys } from "../../src/analysis/shingles.js";
import type { Analyse, Article } from "../../src/core/article.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { EventDays } from "../../src/store/sqlite/event-days.js";
import { dayOf } from "../../src/store/sqlite/events.js";
import { migrate, migrations } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import type { SavedStory } from "../../src/store/types.js";
import { article, distinctWords, file, openStore } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const DIR = join(import.meta.dirname, "../fixtures/events");
let analyse: Analyse;
beforeAll(() => {
  analyse = createAnalyser(loadGazetteer());
});

function fixture(name: string): Article {
  const path = join(DIR, `${name}.md`);
  const a = readArticle(readFileSync(path), { path, mtimeMs: 0 });
  if (isRejected(a)) throw new Error(a.detail);
  return a;
}

/** The article under another path (and outlet), its body wrapped in other boilerplate, maybe on another date. */
function copyOf(a: Article, path: string, date = a.date): Article {
  const body = `Republished with permission of the wire.\n\n${a.body}\n\nSubscribe to our newsletter for more.`;
  return { ...a, path, date, body, contentHash: `copy-${path}`, blocks: [{ kind: "paragraph", text: body }] };
}

async function saveOne(store: SqliteStoryStore, a: Article): Promise<SavedStory> {
  let saved: SavedStory | undefined;
  await store.saveArticle(a, analyse(a), file(a.path), { onSaved: (_tx, s) => (saved = s) });
  if (!saved) throw new Error(`${a.path} was not saved as new or revised`);
  return saved;
}

const eventOf = (store: SqliteStoryStore, id: string) =>
  store.db.prepare("SELECT coalesce(event_rowid, rowid) FROM stories WHERE id = ?").pluck().get(id) as number;

describe("events in the store", () => {
  it("a wire copy in other boilerplate joins the first story's event, and says why", async () => {
    const store = openStore();
    const first = await saveOne(store, fixture("e01-apt40-nz-a"));
    expect(first.event).toEqual({ rowid: first.storyRowid, lead: true });
    const copy = await saveOne(store, copyOf(fixture("e01-apt40-nz-a"), "/wire/copy.md"));
    expect(copy.event).toEqual({ rowid: first.storyRowid, lead: false });
    const why = JSON.parse(
      store.db.prepare("SELECT merged_json FROM stories WHERE id = ?").pluck().get(copy.storyId) as string,
    ) as { with: string; reasons: string[] };
    expect(why.with).toBe(first.storyId);
    expect(why.reasons[0]).toMatch(/^near-copy \(\d+% of text shared\)$/);
  });

  it("a copy stored soon after its original joins its event whatever its date (an undated page gets today's)", async () => {
    const store = openStore();
    const a = fixture("e01-apt40-nz-a");
    const first = await saveOne(store, a);
    const undated = { ...copyOf(a, "/wire/undated.md", "2026-12-02"), dateEstimated: true };
    expect((await saveOne(store, undated)).event).toEqual({ rowid: first.storyRowid, lead: false });
  });

  it("a copy dated outside the window and stored after many other stories starts an event of its own", async () => {
    // Copies are looked for among the 3 last stored stories here (10,000 by default).
    const store = new SqliteStoryStore(join(tempDir(), "cb.db"), { recentStories: 3 });
    const a = fixture("e01-apt40-nz-a");
    const first = await saveOne(store, a);
    for (const name of ["e03-hospital-de-a", "e05-volt-water-a", "e07-sandworm-grid-a"])
      await saveOne(store, fixture(name));
    const late = new Date(Date.parse(`${a.date}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
    const copy = await saveOne(store, copyOf(a, "/wire/late.md", late));
    expect(copy.event.lead).toBe(true);
    expect(copy.event.rowid).not.toBe(first.storyRowid);
    // A copy of that copy (the same date) joins it.
    const again = await saveOne(store, copyOf(a, "/wire/late-again.md", late));
    expect(again.event).toEqual({ rowid: copy.storyRowid, lead: false });
  });

  it("finds the event of a report naming an actor among many recent events blamed on the same country", async () => {
    const store = openStore();
    const first = await saveOne(store, fixture("e01-apt40-nz-a"));
    // A busier week for other Chinese groups, each story an event of its own, all newer than APT40's.
    for (let i = 0; i < 14; i++) {
      const body = `Chinese state-sponsored hackers known as Volt Typhoon. ${distinctWords(`volt ${i}`)} ${distinctWords(`${i}`)}`;
      const other = { ...article(`/volt-${i}.md`, `Utility ${i}`, body), date: "2024-03-13" };
      expect((await saveOne(store, other)).event.lead).toBe(true);
    }
    const follow = await saveOne(store, fixture("e01-apt40-nz-d"));
    expect(follow.event).toEqual({ rowid: first.storyRowid, lead: false });
  });

  it("a revision keeps the story in its event", async () => {
    const store = openStore();
    const first = await saveOne(store, fixture("e01-apt40-nz-a"));
    const copy = copyOf(fixture("e01-apt40-nz-a"), "/wire/copy.md");
    await saveOne(store, copy);
    const revised = await saveOne(store, {
      ...copy,
      body: `${copy.body}\n\nUpdated: a correction.`,
      contentHash: "rev",
    });
    expect(revised.kind).toBe("revised");
    expect(revised.event).toEqual({ rowid: first.storyRowid, lead: false });
  });

  it("over the labelled set, no two articles of different events share one, and most reports of one do", async () => {
    const store = openStore();
    const articles = readdirSync(DIR)
      .filter((n) => n.endsWith(".md"))
      .map((n) => ({ name: n.slice(0, -3), article: fixture(n.slice(0, -3)) }))
      .sort((x, y) => x.article.date.localeCompare(y.article.date) || x.name.localeCompare(y.name));
    const ids = new Map<string, string>();
    for (const { name, article } of articles) ids.set(name, (await saveOne(store, article)).storyId);
    const pairs = (
      JSON.parse(readFileSync(join(DIR, "pairs.json"), "utf8")) as {
        pairs: Array<{ a: string; b: string; same: boolean }>;
      }
    ).pairs;
    const together = (p: { a: string; b: string }) =>
      eventOf(store, ids.get(p.a) as string) === eventOf(store, ids.get(p.b) as string);
    const wrong = pairs.filter((p) => !p.same && together(p));
    expect(wrong).toEqual([]);
    const same = pairs.filter((p) => p.same);
    expect(same.filter(together).length / same.length).toBeGreaterThanOrEqual(0.9);
  });

  it("lists show an event once, from its first story, counting its other sources", async () => {
    const store = openStore();
    const first = await saveOne(store, fixture("e01-apt40-nz-a"));
    await saveOne(store, copyOf(fixture("e01-apt40-nz-a"), "/wire/copy.md"));
    await saveOne(store, fixture("e03-hospital-de-a"));
    const latest = await store.latest(10);
    expect(latest.total).toBe(2);
    expect(latest.stories.map((s) => [s.id, s.sources])).toContainEqual([first.storyId, 1]);
    const apt40 = await store.byTag({ kind: "actor", id: "APT40" }, 10);
    expect(apt40.stories.map((s) => s.id)).toEqual([first.storyId]);
    expect(apt40.total).toBe(1);
  });

  it("a tag added by later sources lists the event once, from the first source that has it", async () => {
    const store = openStore();
    const a = fixture("e01-apt40-nz-a");
    await saveOne(store, a);
    const more = "Australia's signals directorate said the same group had also targeted Australia.";
    const b = { ...a, path: "/b.md", contentHash: "b", body: `${a.body}\n\n${more}` };
    const later = await saveOne(store, b);
    const again = await saveOne(store, copyOf(b, "/c.md"));
    expect([later.event.lead, again.event.lead]).toEqual([false, false]);
    const au = await store.byTag({ kind: "country", code: "AU" }, 10);
    expect(au.stories.map((s) => s.id)).toEqual([later.storyId]);
    expect(au.total).toBe(1);
    // A revision of the later source keeps it the one that shows the tag.
    await store.saveArticle(
      { ...b, contentHash: "b2", title: `${b.title}, update` },
      analyse(b),
      file(b.path),
      {},
    );
    expect((await store.byTag({ kind: "country", code: "AU" }, 10)).total).toBe(1);
    // The first story revised to name Australia shows the tag itself; revised back, a later source shows it again.
    const first = (await store.byTag({ kind: "actor", id: "APT40" }, 10)).stories[0]?.id;
    const revise = async (body: string, hash: string) => {
      const r = { ...a, contentHash: hash, body };
      await store.saveArticle(r, analyse(r), file(a.path), {});
      return (await store.byTag({ kind: "country", code: "AU" }, 10)).stories.map((s) => s.id);
    };
    expect(await revise(`${a.body}\n\n${more}`, "a2")).toEqual([first]);
    expect(await revise(a.body, "a3")).toEqual([later.storyId]);
  });
});

describe("an event's sources", () => {
  it("/cyber why lists every source of the event and why each later one joined", async () => {
    const store = openStore();
    const first = await saveOne(store, fixture("e01-apt40-nz-a"));
    const copy = await saveOne(store, copyOf(fixture("e01-apt40-nz-a"), "/wire/copy.md"));
    const reasons = await store.storyReasons(copy.storyId);
    expect(reasons?.sources.map((s) => s.path)).toEqual([fixture("e01-apt40-nz-a").path, "/wire/copy.md"]);
    expect(reasons?.sources[0]?.why).toBeUndefined();
    expect(reasons?.sources[1]?.why?.[0]).toBe(`with ${first.storyId}`);
    expect(reasons?.sources[1]?.why?.[1]).toMatch(/^near-copy/);
  });

  it("export prints one line per event with all its sources, first story first, whatever came between", async () => {
    const store = openStore();
    const a = fixture("e01-apt40-nz-a");
    await saveOne(store, a);
    await saveOne(store, fixture("e03-hospital-de-a"));
    await saveOne(store, copyOf(a, "/wire/copy.md"));
    const events = [];
    for await (const e of store.exportEvents()) events.push(e);
    expect(events).toHaveLength(2);
    const apt40 = events.find((e) => e.actors.some((x) => x.id === "APT40"));
    expect(apt40?.sources.map((s) => s.path)).toEqual([a.path, "/wire/copy.md"]);
    expect(apt40?.title).toBe(a.title);
  });
});

describe("the in-memory index of recent days", () => {
  it("lets least used days go and loads them again from the stories table when needed", async () => {
    const store = openStore();
    const a = fixture("e01-apt40-nz-a");
    const first = await saveOne(store, a);
    const sql = (text: string) => store.db.prepare(text);
    // A fresh index over the same database, holding one story at most: the story's day is read from the table.
    const days = new EventDays(sql, 1);
    const day = dayOf(a.date);
    const facts = eventFacts(a, analyse(a));
    const keys = sketchKeys(facts.signature);
    expect([...days.sharing(keys, day, day, 12).keys()]).toEqual([first.storyRowid]);
    // Another story's day pushes it out; asked again, it is read back.
    const other = fixture("e03-hospital-de-a");
    await saveOne(store, other);
    days.sharing(keys, dayOf(other.date), dayOf(other.date), 12);
    expect(days.size).toBe(1);
    expect(days.sharing(keys, day, day, 12).get(first.storyRowid)).toBe(keys.length);
    expect(days.leads(["actor:APT40"], day, day, 5).map((l) => l.rowid)).toEqual([first.storyRowid]);
  });
});

describe("migration 7", () => {
  it("gives the tag rows of a store's later stories their event, so the shown ones are found by it", () => {
    const db = new Database(":memory:");
    migrate(
      db,
      migrations.filter((m) => m.version <= 6),
    );
    const story = db.prepare(
      `INSERT INTO stories (rowid, id, path, content_hash, date, title, body, summary, ingested_at, updated_at,
         event_rowid) VALUES (?, ?, ?, ?, '2024-03-12', 't', 'b', 's', 'now', 'now', ?)`,
    );
    story.run(1, "lead", "/a.md", "a", null);
    story.run(2, "later", "/b.md", "b", 1);
    const tag = db.prepare(
      "INSERT INTO story_tags (story_rowid, kind, value, role, date, shown) VALUES (?, 'country', ?, '', '2024-03-12', ?)",
    );
    tag.run(1, "NZ", 1);
    tag.run(2, "NZ", 0);
    tag.run(2, "AU", 1);
    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 7),
      ),
    ).toEqual([7]);
    const rows = db
      .prepare("SELECT story_rowid, value, event_rowid FROM story_tags ORDER BY story_rowid, value")
      .all();
    expect(rows).toEqual([
      { story_rowid: 1, value: "NZ", event_rowid: null },
      { story_rowid: 2, value: "AU", event_rowid: 1 },
      { story_rowid: 2, value: "NZ", event_rowid: 1 },
    ]);
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT kind, value, role FROM story_tags WHERE event_rowid = ? AND shown = 1",
      )
      .all(1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(" ")).toContain("story_tags_shown_by_event");
  });
});
