// Contract: the file ledger's path rules on SQLite and PostgreSQL: a renamed file takes its story along, a copy
// stays a duplicate, a feed item's key never moves a story, and a baseline item stays quiet.

import { expect, it } from "vitest";
import type { Analysis } from "../../../src/core/article.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { contract } from "./stores.js";

const noTags: Analysis = analysisOf({ summary: "s" });
const file = (path: string, mtimeMs = 1) => ({ path, size: 10, mtimeMs });

contract("the file ledger", ({ open }) => {
  it("a renamed file takes its story along, and its later edit is a revision", async () => {
    const gone = new Set<string>();
    const store = await open({ fileExists: (p) => !gone.has(p) });
    const first = await store.saveArticle(article("/old.txt", "Moving text."), noTags, file("/old.txt"));
    gone.add("/old.txt");
    const moved = await store.saveArticle(article("/new.txt", "Moving text."), noTags, file("/new.txt"));
    expect(moved).toMatchObject({ kind: "duplicate", storyId: first.storyId });
    expect((await store.getStory(first.storyId))?.path).toBe("/new.txt");
    const index = await store.fileIndex();
    expect([...index.keys()]).toEqual(["/new.txt"]);
    expect(index.get("/new.txt")?.status).toBe("stored");
    const edited = await store.saveArticle(
      article("/new.txt", "Moving text, edited."),
      noTags,
      file("/new.txt", 2),
    );
    expect(edited).toMatchObject({ kind: "revised", storyId: first.storyId, revision: 2 });
  });

  it("a copy whose original still exists is a duplicate; editing the copy makes a story of its own", async () => {
    const store = await open();
    const first = await store.saveArticle(article("/a.txt", "Shared text."), noTags, file("/a.txt"));
    await store.saveArticle(article("/copy.txt", "Shared text."), noTags, file("/copy.txt"));
    expect((await store.fileRecords(["/copy.txt"])).get("/copy.txt")).toMatchObject({
      status: "duplicate",
      storyId: first.storyId,
    });
    const own = await store.saveArticle(article("/copy.txt", "Now different."), noTags, file("/copy.txt", 2));
    expect(own.kind).toBe("new");
    expect((await store.getStory(first.storyId))?.revision).toBe(1);
  });

  it("a feed item's key never moves a story, and is not counted as a file", async () => {
    const store = await open({ fileExists: () => false });
    const story = await store.saveArticle(
      article("https://news.example/a", "Shared text."),
      noTags,
      file("https://news.example/a"),
    );
    const fromFile = await store.saveArticle(
      article("/seeds/copy.txt", "Shared text."),
      noTags,
      file("/seeds/copy.txt"),
    );
    expect(fromFile).toMatchObject({ kind: "duplicate", storyId: story.storyId });
    expect((await store.getStory(story.storyId))?.path).toBe("https://news.example/a");
    expect([...(await store.fileIndex()).keys()]).toEqual(["/seeds/copy.txt"]);
    expect(await store.stats()).toMatchObject({ files: 1, feedItems: 1, stories: 1 });
  });

  it("the first and last file path in byte order bound every stored file, feed items aside", async () => {
    const store = await open();
    expect(await store.filePathBounds()).toBeNull();
    for (const [path, text] of [
      ["/data/seeds/b.txt", "Bee."],
      ["/data/seeds-old/z.txt", "Zed."],
      ["/data/seeds/Sub/a.txt", "Ay."],
      ["https://news.example/c", "Sea."],
    ] as const)
      await store.saveArticle(article(path, text), noTags, file(path));
    // "-" sorts before "/" and capitals before small letters, as bytes do; the feed item's key is left out.
    expect(await store.filePathBounds()).toEqual(["/data/seeds-old/z.txt", "/data/seeds/b.txt"]);
  });

  it("a key first stored without alerting stays quiet through its revisions", async () => {
    const store = await open();
    const key = "https://news.example/b";
    await store.saveArticles([
      { article: article(key, "Baseline."), analysis: noTags, file: file(key), alert: false },
    ]);
    await store.saveArticles([
      { article: article(key, "Baseline, revised."), analysis: noTags, file: file(key, 2) },
    ]);
    expect((await store.fileRecords([key])).get(key)).toMatchObject({ quiet: true, status: "stored" });
    await store.saveArticles([
      { article: article("/loud.txt", "Loud."), analysis: noTags, file: file("/loud.txt") },
    ]);
    expect((await store.fileRecords(["/loud.txt"])).get("/loud.txt")?.quiet).toBe(false);
  });
});
