// Contract: saving articles and reading stories back, the same on SQLite and PostgreSQL.

import { expect, it } from "vitest";
import type { Analysis } from "../../../src/core/article.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { contract } from "./stores.js";

const tags: Analysis = analysisOf({
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
});
const noTags = analysisOf({ summary: "s" });
const file = (path: string, mtimeMs = 1) => ({ path, size: 10, mtimeMs });

contract("saving articles", ({ open }) => {
  it("stores new, then unchanged, duplicate under another path, and a revision on change", async () => {
    const store = await open();
    const first = await store.saveArticle(article("/a.txt", "Alpha body."), tags, file("/a.txt"));
    expect(first).toMatchObject({ kind: "new", revision: 1 });
    expect(first.storyId).toMatch(/^[0-9a-f]{8}$/);
    const again = await store.saveArticle(article("/a.txt", "Alpha body."), tags, file("/a.txt"));
    expect(again.kind).toBe("unchanged");
    expect(await store.saveArticle(article("/b.txt", "Alpha body."), tags, file("/b.txt"))).toMatchObject({
      kind: "duplicate",
      storyId: first.storyId,
    });
    const revised = await store.saveArticle(article("/a.txt", "Alpha body, edited."), noTags, file("/a.txt"));
    expect(revised).toMatchObject({ kind: "revised", storyId: first.storyId, revision: 2 });
    expect(await store.stats()).toMatchObject({ stories: 1, revisions: 1, files: 2, rejected: 0 });
    const story = await store.getStory(first.storyId.slice(0, 5));
    expect(story).toMatchObject({
      body: "Alpha body, edited.",
      revision: 2,
      actors: [],
      title: "Alpha body, edited",
    });
    expect(await store.getStory("zzzz")).toBeUndefined();
    expect(await store.getStory("abc")).toBeUndefined();
  });

  it("several saves in one batch come back in order, and the ledger knows each file", async () => {
    const store = await open();
    const outcomes = await store.saveArticles([
      { article: article("/1.txt", "One."), analysis: noTags, file: file("/1.txt") },
      { article: article("/2.txt", "Two."), analysis: noTags, file: file("/2.txt", 7) },
      { article: article("/3.txt", "One."), analysis: noTags, file: file("/3.txt") },
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(["new", "new", "duplicate"]);
    const index = await store.fileIndex();
    expect([...index.keys()].sort()).toEqual(["/1.txt", "/2.txt", "/3.txt"]);
    expect(index.get("/2.txt")).toEqual({
      path: "/2.txt",
      size: 10,
      mtimeMs: 7,
      contentHash: "h-Two.",
      storyId: outcomes[1]?.storyId,
      status: "stored",
      quiet: false,
    });
    expect(index.get("/3.txt")?.status).toBe("duplicate");
    const some = await store.fileRecords(["/1.txt", "/missing.txt", "/1.txt"]);
    expect([...some.keys()]).toEqual(["/1.txt"]);
  });

  it("reads the stories back after a restart", async () => {
    const store = await open();
    const { storyId } = await store.saveArticle(article("/a.txt", "First story."), tags, file("/a.txt"));
    await store.close();
    const again = await store.reopen();
    expect((await again.stats()).stories).toBe(1);
    expect((await again.getStory(storyId))?.actors[0]?.matched[0]?.text).toBe("Leviathan");
  });

  it("lists the latest stories newest first, with a total, a limit and an offset", async () => {
    const store = await open();
    await store.saveArticle(article("/a.txt", "One."), tags, file("/a.txt"));
    await store.saveArticle(article("/b.txt", "Two.", { date: "2024-04-01" }), noTags, file("/b.txt"));
    await store.saveArticle(article("/c.txt", "Three.", { date: "2023-01-01" }), noTags, file("/c.txt"));
    const latest = await store.latest(2);
    expect(latest.total).toBe(3);
    expect(latest.stories.map((s) => s.title)).toEqual(["Two", "One"]);
    expect(latest.stories[1]).toMatchObject({ dateEstimated: false, summary: "s", url: null });
    expect((await store.latest(2, 2)).stories.map((s) => s.title)).toEqual(["Three"]);
  });

  it("finds stories by actor, by country in any role, and by sponsor role only", async () => {
    const store = await open();
    await store.saveArticle(article("/a.txt", "One."), tags, file("/a.txt"));
    await store.saveArticle(article("/b.txt", "Two.", { date: "2024-04-01" }), noTags, file("/b.txt"));
    expect((await store.byTag({ kind: "actor", id: "APT40" }, 5)).total).toBe(1);
    expect((await store.byTag({ kind: "country", code: "nz" }, 5)).total).toBe(1);
    expect((await store.byTag({ kind: "country", code: "NZ", role: "sponsor" }, 5)).total).toBe(0);
    const cn = await store.byTag({ kind: "country", code: "CN", role: "sponsor" }, 5);
    expect(cn.total).toBe(1);
    expect(cn.stories[0]?.actors[0]?.matched[0]?.text).toBe("Leviathan");
    expect((await store.byTag({ kind: "actor", id: "APT1" }, 5)).total).toBe(0);
  });

  it("keeps tag counts exact through revisions that add and drop tags", async () => {
    const store = await open();
    await store.saveArticle(article("/a.txt", "One."), tags, file("/a.txt"));
    await store.saveArticle(article("/b.txt", "Two."), tags, file("/b.txt"));
    expect((await store.byTag({ kind: "actor", id: "APT40" }, 5)).total).toBe(2);
    await store.saveArticle(article("/a.txt", "One, edited."), noTags, file("/a.txt", 2));
    expect((await store.byTag({ kind: "actor", id: "APT40" }, 5)).total).toBe(1);
    await store.saveArticle(article("/a.txt", "One, edited again."), tags, file("/a.txt", 3));
    const page = await store.byTag({ kind: "actor", id: "APT40" }, 1);
    expect(page.total).toBe(2);
    expect(page.stories).toHaveLength(1);
  });
});

contract("rejections and scans", ({ open }) => {
  it("a rejection is fresh only the first time a reason is seen, and cleared when the file is later stored", async () => {
    const store = await open();
    expect(await store.recordRejection(file("/x.txt"), "empty", "no content")).toEqual({ fresh: true });
    expect(await store.recordRejection(file("/x.txt"), "empty", "no content")).toEqual({ fresh: false });
    expect(await store.recordRejection(file("/x.txt"), "binary", "NUL")).toEqual({ fresh: true });
    const [rejection] = await store.rejections();
    expect(rejection).toMatchObject({
      path: "/x.txt",
      reason: "binary",
      detail: "NUL",
      size: 10,
      mtimeMs: 1,
    });
    expect((await store.fileIndex()).get("/x.txt")?.status).toBe("rejected");
    expect((await store.stats()).rejected).toBe(1);
    await store.saveArticle(article("/x.txt", "Now fine."), noTags, file("/x.txt"));
    expect(await store.rejections()).toEqual([]);
  });

  it("the last scan report is in the stats", async () => {
    const store = await open();
    expect((await store.stats()).lastScan).toBeNull();
    const report = (n: number) => ({
      startedAt: `2024-01-0${n}T00:00:00.000Z`,
      finishedAt: `2024-01-0${n}T00:00:01.000Z`,
      new: n,
      updated: 0,
      unchanged: 1,
      duplicate: 0,
      rejected: 2,
    });
    await store.recordScan(report(1));
    await store.recordScan(report(2));
    expect((await store.stats()).lastScan).toEqual(report(2));
  });

  it("health is ok while open and says why not once closed", async () => {
    const store = await open();
    expect(await store.health()).toEqual({ ok: true });
    await store.close();
    expect(await store.health()).toEqual({ ok: false, detail: "the database is closed" });
  });
});
