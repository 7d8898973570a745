// Contract: `cyberbrief export`'s events and `/cyber why`'s reasons, the same on SQLite and PostgreSQL (stories
// that are each their own event: merging stories into events is SQLite's alone so far).

import { expect, it } from "vitest";
import type { ExportedEvent } from "../../../src/store/types.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { contract } from "./stores.js";

const file = (path: string) => ({ path, size: 10, mtimeMs: 1 });
const cyber = analysisOf({
  summary: "s",
  cyber: true,
  cyberEvidence: [{ text: "ransomware", offset: 0 }],
  cves: ["CVE-2024-3400"],
});

async function all(events: AsyncIterable<ExportedEvent>): Promise<ExportedEvent[]> {
  const out: ExportedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

contract("export and reasons", ({ open }) => {
  it("exports every event oldest first, from a date on, and stops early when the reader does", async () => {
    const store = await open();
    await store.saveArticle(
      article("/b.txt", "Second zebra.", { date: "2024-02-01" }),
      cyber,
      file("/b.txt"),
    );
    await store.saveArticle(
      article("/a.txt", "First yak.", { date: "2024-01-01" }),
      analysisOf(),
      file("/a.txt"),
    );
    await store.saveArticle(
      article("/c.txt", "Third wolf.", { date: "2024-03-01" }),
      analysisOf(),
      file("/c.txt"),
    );
    const events = await all(store.exportEvents());
    expect(events.map((e) => [e.title, e.date, e.cyber, e.sources.map((s) => s.path)])).toEqual([
      ["First yak", "2024-01-01", false, ["/a.txt"]],
      ["Second zebra", "2024-02-01", true, ["/b.txt"]],
      ["Third wolf", "2024-03-01", false, ["/c.txt"]],
    ]);
    expect(events[1]).toMatchObject({ cves: ["CVE-2024-3400"], revision: 1, dateEstimated: false });
    expect((await all(store.exportEvents({ since: "2024-02-01" }))).map((e) => e.title)).toEqual([
      "Second zebra",
      "Third wolf",
    ]);
    const first: string[] = [];
    for await (const e of store.exportEvents()) {
      first.push(e.title);
      break;
    }
    expect(first).toEqual(["First yak"]);
    // The store still answers after a loop that stopped early.
    expect((await store.latest(5)).total).toBe(3);
  });

  it("exports many events in order, past one page of the PostgreSQL reader", async () => {
    const store = await open();
    const items = Array.from({ length: 521 }, (_, i) => ({
      article: article(`/e${i}.txt`, `Event ${i} text.`, { date: i % 2 === 0 ? "2024-05-02" : "2024-05-01" }),
      analysis: analysisOf(),
      file: file(`/e${i}.txt`),
    }));
    await store.saveArticles(items);
    const events = await all(store.exportEvents());
    expect(events).toHaveLength(521);
    expect(events[0]?.title).toBe("Event 1 text");
    expect(events[260]?.title).toBe("Event 0 text");
    expect(events.at(-1)?.title).toBe("Event 520 text");
  });

  it("gives a story's cyber signal and its source for /cyber why", async () => {
    const store = await open();
    const { storyId } = await store.saveArticle(
      article("/r.txt", "Ransomware hit a port.", { url: "https://news.example/r", source: "News" }),
      cyber,
      file("/r.txt"),
    );
    const reasons = await store.storyReasons(storyId.slice(0, 6));
    expect(reasons).toMatchObject({
      cyber: true,
      cyberWords: ["ransomware"],
      sources: [{ path: "/r.txt", url: "https://news.example/r", source: "News", date: "2024-03-25" }],
    });
    expect(reasons?.story.id).toBe(storyId);
    expect(await store.storyReasons("ffffffff")).toBeUndefined();
  });
});
