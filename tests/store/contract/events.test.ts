// Contract: stories merged into events, the same on SQLite and PostgreSQL: copies and reports of one event join
// its first story, other stories open their own, lists show an event once, export and `/cyber why` list every
// source of it.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createAnalyser, loadGazetteer } from "../../../src/analysis/index.js";
import type { Analyse, Article } from "../../../src/core/article.js";
import { isRejected, readArticle } from "../../../src/ingest/reader.js";
import type { ExportedEvent, SavedStory } from "../../../src/store/types.js";
import { file } from "../../alerts/fixtures.js";
import { type ContractStore, contract } from "./stores.js";

const DIR = join(import.meta.dirname, "../../fixtures/events");
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

/** The article under another path, its body wrapped in other boilerplate, maybe on another date. */
function copyOf(a: Article, path: string, date = a.date): Article {
  const body = `Republished with permission of the wire.\n\n${a.body}\n\nSubscribe to our newsletter for more.`;
  return { ...a, path, date, body, contentHash: `copy-${path}`, blocks: [{ kind: "paragraph", text: body }] };
}

async function saveOne(store: ContractStore, a: Article): Promise<SavedStory> {
  let saved: SavedStory | undefined;
  await store.saveArticle(a, analyse(a), file(a.path), { onSaved: (_tx, s) => (saved = s) });
  if (!saved) throw new Error(`${a.path} was not saved as new or revised`);
  return saved;
}

async function all(events: AsyncIterable<ExportedEvent>): Promise<ExportedEvent[]> {
  const out: ExportedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

contract("events", ({ open }) => {
  it("a copy and a report in other words join the first story's event; another story opens its own", async () => {
    const store = await open();
    const first = await saveOne(store, fixture("e01-apt40-nz-a"));
    expect(first.event).toEqual({ rowid: first.storyRowid, lead: true });
    const copy = await saveOne(store, copyOf(fixture("e01-apt40-nz-a"), "/wire/copy.md"));
    expect(copy.event).toEqual({ rowid: first.storyRowid, lead: false });
    const report = await saveOne(store, fixture("e01-apt40-nz-d"));
    expect(report.event).toEqual({ rowid: first.storyRowid, lead: false });
    const other = await saveOne(store, fixture("e03-hospital-de-a"));
    expect(other.event).toEqual({ rowid: other.storyRowid, lead: true });
    // A revision keeps the story in its event.
    const revised = await saveOne(store, {
      ...copyOf(fixture("e01-apt40-nz-a"), "/wire/copy.md"),
      contentHash: "r",
    });
    expect([revised.kind, revised.event]).toEqual(["revised", { rowid: first.storyRowid, lead: false }]);
    // Lists show each event once, from its first story.
    expect((await store.latest(10)).total).toBe(2);
    const apt40 = await store.byTag({ kind: "actor", id: "APT40" }, 10);
    expect([apt40.total, apt40.stories.map((s) => s.id)]).toEqual([1, [first.storyId]]);
  });

  it("export and /cyber why list every source of the event, first story first, with why each joined", async () => {
    const store = await open();
    const a = fixture("e01-apt40-nz-a");
    const first = await saveOne(store, a);
    await saveOne(store, fixture("e03-hospital-de-a"));
    const copy = await saveOne(store, copyOf(a, "/wire/copy.md"));
    const events = await all(store.exportEvents());
    expect(events).toHaveLength(2);
    const apt40 = events.find((e) => e.id === first.storyId);
    expect(apt40?.sources.map((s) => s.path)).toEqual([a.path, "/wire/copy.md"]);
    const reasons = await store.storyReasons(copy.storyId);
    expect(reasons?.sources.map((s) => s.path)).toEqual([a.path, "/wire/copy.md"]);
    expect(reasons?.sources[0]?.why).toBeUndefined();
    expect(reasons?.sources[1]?.why?.[0]).toBe(`with ${first.storyId}`);
    expect(reasons?.sources[1]?.why?.[1]).toMatch(/^near-copy \(\d+% of text shared\)$/);
  });

  it("a tag only later sources have lists the event once, from the first source that has it, across revisions", async () => {
    const store = await open();
    const a = fixture("e01-apt40-nz-a");
    const first = await saveOne(store, a);
    const more = "Australia's signals directorate said the same group had also targeted Australia.";
    const b = { ...a, path: "/b.md", contentHash: "b", body: `${a.body}\n\n${more}` };
    const later = await saveOne(store, b);
    const again = await saveOne(store, copyOf(b, "/c.md"));
    expect([later.event.lead, again.event.lead]).toEqual([false, false]);
    const au = async () => (await store.byTag({ kind: "country", code: "AU" }, 10)).stories.map((s) => s.id);
    expect(await au()).toEqual([later.storyId]);
    const revise = async (r: Article) => {
      await store.saveArticle(r, analyse(r), file(r.path), {});
      return au();
    };
    // A revision of the later source keeps it the one that shows the tag.
    expect(await revise({ ...b, contentHash: "b2", title: `${b.title}, update` })).toEqual([later.storyId]);
    // The first story revised to name Australia shows the tag itself; revised back, a later source shows it again.
    expect(await revise({ ...a, contentHash: "a2", body: `${a.body}\n\n${more}` })).toEqual([first.storyId]);
    expect(await revise({ ...a, contentHash: "a3" })).toEqual([later.storyId]);
  });

  it("over the labelled set, no two articles of different events share one, and most reports of one do", async () => {
    const store = await open();
    const articles = readdirSync(DIR)
      .filter((n) => n.endsWith(".md"))
      .map((n) => ({ name: n.slice(0, -3), article: fixture(n.slice(0, -3)) }))
      .sort((x, y) => x.article.date.localeCompare(y.article.date) || x.name.localeCompare(y.name));
    const events = new Map<string, number>();
    for (const { name, article } of articles) events.set(name, (await saveOne(store, article)).event.rowid);
    const { pairs } = JSON.parse(readFileSync(join(DIR, "pairs.json"), "utf8")) as {
      pairs: Array<{ a: string; b: string; same: boolean }>;
    };
    const together = (p: { a: string; b: string }) => events.get(p.a) === events.get(p.b);
    expect(pairs.filter((p) => !p.same && together(p))).toEqual([]);
    const same = pairs.filter((p) => p.same);
    expect(same.filter(together).length / same.length).toBeGreaterThanOrEqual(0.9);
  });
});
