// The store's export rows: every story once as an event, oldest first, with its sources; --since; streaming.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Analysis, Article } from "../../src/core/article.js";
import { EXPORT_SQL, type ExportRow, groupEvents } from "../../src/store/sqlite/export.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import type { ExportedEvent, ExportQuery } from "../../src/store/types.js";
import { analysisOf } from "../helpers/analysis.js";
import { paragraphArticle } from "../helpers/article.js";
import { tempDir } from "../helpers/tmp.js";

const apt40 = {
  id: "APT40",
  name: "APT40",
  attackId: "G0065",
  sponsor: "CN",
  matched: [{ text: "Leviathan", offset: 0 }],
};
const nz = { code: "NZ", name: "New Zealand", roles: ["mentioned" as const], matched: [] };
const tagged: Analysis = analysisOf({ summary: "sum", actors: [apt40], countries: [nz], cyber: true });
const untagged: Analysis = analysisOf({ summary: "plain" });

const article = (path: string, date: string, body: string, extra: Partial<Article> = {}): Article =>
  paragraphArticle(path, body, { title: `T ${body}`, date, ...extra });

async function filled() {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const store = new SqliteStoryStore(join(tempDir(), "x.db"), { clock: { now: () => now } });
  const save = async (a: Article, an: Analysis) => {
    now += 1000;
    return store.saveArticle(a, an, { path: a.path, size: 1, mtimeMs: 1 });
  };
  // Stored out of date order: export orders by date, then by when stored.
  await save(article("/b.txt", "2024-03-25", "b"), tagged);
  await save(
    article("https://news.example/a", "2024-03-24", "a", { url: "https://news.example/a", source: "News" }),
    untagged,
  );
  await save(article("/c.txt", "2024-03-25", "c"), untagged);
  await save(article("/d.txt", "2024-03-26", "d", { dateEstimated: true }), untagged);
  await save(article("/b.txt", "2024-03-25", "b revised"), tagged);
  return store;
}

async function all(store: SqliteStoryStore, query?: ExportQuery): Promise<ExportedEvent[]> {
  const out: ExportedEvent[] = [];
  for await (const e of store.exportEvents(query)) out.push(e);
  return out;
}

describe("exportEvents", () => {
  it("yields every story once as an event with one source, oldest first", async () => {
    const store = await filled();
    const events = await all(store);
    expect(events.map((e) => e.title)).toEqual(["T a", "T b revised", "T c", "T d"]);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]+$/),
      title: "T a",
      date: "2024-03-24",
      dateEstimated: false,
      summary: "plain",
      revision: 1,
      ingestedAt: "2026-01-01T00:00:02.000Z",
      updatedAt: "2026-01-01T00:00:02.000Z",
      cyber: false,
      sources: [
        { path: "https://news.example/a", url: "https://news.example/a", source: "News", date: "2024-03-24" },
      ],
      actors: [],
      countries: [],
      sectors: [],
      malware: [],
      cves: [],
    });
    expect(events[1]).toMatchObject({
      revision: 2,
      ingestedAt: "2026-01-01T00:00:01.000Z",
      updatedAt: "2026-01-01T00:00:05.000Z",
      sources: [{ path: "/b.txt", url: null, source: null, date: "2024-03-25" }],
      actors: [apt40],
      countries: [nz],
    });
    expect(events[3]?.dateEstimated).toBe(true);
    await store.close();
  });

  it("--since keeps events dated on that day and later", async () => {
    const store = await filled();
    const dates = async (since: string) => (await all(store, { since })).map((e) => e.date);
    expect(await dates("2024-03-25")).toEqual(["2024-03-25", "2024-03-25", "2024-03-26"]);
    expect(await dates("2024-03-26")).toEqual(["2024-03-26"]);
    expect(await dates("2024-03-24")).toHaveLength(4);
    expect(await dates("2024-03-27")).toEqual([]);
    await store.close();
  });

  it("streams: SQLite neither sorts nor collects the rows, and stopping early releases the query", async () => {
    const store = await filled();
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${EXPORT_SQL}`).all("2024-01-01") as Array<{
      detail: string;
    }>;
    const details = plan.map((p) => p.detail).join("; ");
    expect(details).toContain("stories_leads_by_date");
    expect(details).not.toContain("TEMP B-TREE");
    for await (const e of store.exportEvents()) {
      expect(e.title).toBe("T a");
      break;
    }
    // A query left open would make this connection refuse the write ("busy executing a query").
    const saved = await store.saveArticle(article("/e.txt", "2024-03-27", "e"), untagged, {
      path: "/e.txt",
      size: 1,
      mtimeMs: 1,
    });
    expect(saved.kind).toBe("new");
    await store.close();
  });
});

it("an SQLite file without cyberbrief's tables, opened read-only, is one clear error", async () => {
  const path = join(tempDir(), "empty.db");
  writeFileSync(path, "");
  const store = new SqliteStoryStore(path, { readonly: true });
  await expect(all(store)).rejects.toThrow(`${path} holds no cyberbrief stories (no such table: stories)`);
  await store.close();
});

describe("groupEvents", () => {
  const row = (key: number, id: string, path: string, tags: Analysis): ExportRow => ({
    event_key: key,
    id,
    path,
    revision: 1,
    date: "2024-03-25",
    date_estimated: 0,
    title: `title ${id}`,
    summary: "s",
    url: `https://x.example/${id}`,
    source: `outlet ${id}`,
    tags_json: JSON.stringify({ actors: tags.actors, countries: tags.countries }),
    cyber: tags.cyber ? 1 : 0,
    ingested_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
  });

  it("makes one event of consecutive rows with the same key: first row's headline, every row a source", () => {
    const cn = { code: "CN", name: "China", roles: ["sponsor" as const], matched: [] };
    const events = [
      ...groupEvents([
        row(1, "a", "/a", { ...tagged, summary: "", countries: [nz] }),
        row(1, "b", "/b", { ...tagged, summary: "", countries: [cn] }),
        row(2, "c", "/c", untagged),
      ]),
    ];
    expect(events.map((e) => e.id)).toEqual(["a", "c"]);
    expect(events[0]?.sources.map((s) => [s.path, s.url, s.source])).toEqual([
      ["/a", "https://x.example/a", "outlet a"],
      ["/b", "https://x.example/b", "outlet b"],
    ]);
    expect(events[0]?.actors).toEqual([apt40]);
    expect(events[0]?.countries.map((c) => c.code)).toEqual(["NZ", "CN"]);
    expect(events[1]?.sources).toHaveLength(1);
    expect(events.map((e) => e.cyber)).toEqual([true, false]);
  });

  it("an event is cyber when any of its sources is", () => {
    const [event] = [...groupEvents([row(1, "a", "/a", untagged), row(1, "b", "/b", tagged)])];
    expect(event?.cyber).toBe(true);
  });
});
