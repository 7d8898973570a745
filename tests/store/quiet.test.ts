// Feed items through the save path, routed as ingest routes files (routeStory inside the save): a baseline item
// is stored quietly and neither it nor its revisions queue a delivery; a later item alerts once; an item with
// the text of another story is a duplicate that takes no story from anyone.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { routeStory } from "../../src/alerts/routing.js";
import type { SaveItem } from "../../src/core/story.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, deliveries, file, tags } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const CHANNEL = "slack:T1/C1";

/** A feed item keyed by its link, or a file, saved with routing as main.ts's routedSaves does. */
const item = (key: string, title: string, body?: string, alert?: boolean): SaveItem => ({
  article: article(key, title, body),
  analysis: tags(["APT40"]),
  file: file(key),
  ...(alert === undefined ? {} : { alert }),
});

async function storeWithSubscriber(fileExists: (path: string) => boolean = () => true) {
  const store = new SqliteStoryStore(join(tempDir(), "cb.db"), { fileExists });
  await store.subscribe(CHANNEL, "all", "ana");
  const save = (items: SaveItem[]) => store.saveArticles(items, { onSaved: routeStory });
  return { store, save };
}

describe("quiet feed items", () => {
  it("a baseline item is stored quietly, and its later revision (alerting poll) queues no delivery", async () => {
    const { store, save } = await storeWithSubscriber();
    const [first] = await save([item("https://news.example/a", "Old news", undefined, false)]);
    expect(first?.kind).toBe("new");
    expect(deliveries(store)).toEqual([]);
    expect((await store.fileRecords(["https://news.example/a"])).get("https://news.example/a")?.quiet).toBe(
      true,
    );
    const [revised] = await save([item("https://news.example/a", "Old news", "Edited long after.", true)]);
    expect(revised?.kind).toBe("revised");
    expect(deliveries(store)).toEqual([]);
    expect((await store.fileRecords(["https://news.example/a"])).get("https://news.example/a")?.quiet).toBe(
      true,
    );
    await store.close();
  });

  it("a baseline duplicate that later gets text of its own stays quiet", async () => {
    const { store, save } = await storeWithSubscriber();
    await save([item("https://news.example/a", "Same", "Same text.", false)]);
    const [dup] = await save([item("https://news.example/b", "Same", "Same text.", false)]);
    expect(dup?.kind).toBe("duplicate");
    const [own] = await save([item("https://news.example/b", "Now different", "Other text.", true)]);
    expect(own?.kind).toBe("new");
    expect(deliveries(store)).toEqual([]);
    await store.close();
  });

  it("an item after the baseline alerts once: saved again, or revised while pending, it adds nothing", async () => {
    const { store, save } = await storeWithSubscriber();
    await save([item("https://news.example/old", "Old", undefined, false)]);
    await save([item("https://news.example/new", "New", undefined, true)]);
    await save([item("https://news.example/new", "New", undefined, true)]);
    await save([item("https://news.example/new", "New", "New, with a correction.", true)]);
    expect(deliveries(store).map((d) => [d.channel_ref, d.kind])).toEqual([[CHANNEL, "alert"]]);
    await store.close();
  });

  it("files keep alerting as before (no alert field means alert)", async () => {
    const { store, save } = await storeWithSubscriber();
    await save([item("/seeds/a.txt", "A file")]);
    expect(deliveries(store)).toHaveLength(1);
    await store.close();
  });
});

describe("feed items and renamed files", () => {
  it("an item with the text of a file story whose file is gone is a duplicate; the story stays with the file", async () => {
    const { store, save } = await storeWithSubscriber(() => false);
    const [story] = await save([item("/seeds/a.txt", "Shared", "Shared text.")]);
    const [dup] = await save([item("https://news.example/a", "Shared", "Shared text.", true)]);
    expect(dup).toMatchObject({ kind: "duplicate", storyId: story?.storyId });
    expect((await store.getStory(story?.storyId as string))?.path).toBe("/seeds/a.txt");
    expect((await store.fileRecords(["/seeds/a.txt"])).get("/seeds/a.txt")?.status).toBe("stored");
    expect((await store.fileRecords(["https://news.example/a"])).get("https://news.example/a")?.status).toBe(
      "duplicate",
    );
    expect(deliveries(store)).toHaveLength(1);
    await store.close();
  });

  it("a file or another item with the text of a feed story never moves it: the feed key always exists", async () => {
    const { store, save } = await storeWithSubscriber(() => false);
    const [story] = await save([item("https://news.example/a", "Shared", "Shared text.", true)]);
    const [fromFile] = await save([item("/seeds/copy.txt", "Shared", "Shared text.")]);
    const [fromFeed] = await save([item("https://other.example/a", "Shared", "Shared text.", true)]);
    expect(fromFile).toMatchObject({ kind: "duplicate", storyId: story?.storyId });
    expect(fromFeed).toMatchObject({ kind: "duplicate", storyId: story?.storyId });
    expect((await store.getStory(story?.storyId as string))?.path).toBe("https://news.example/a");
    expect((await store.fileRecords(["https://news.example/a"])).get("https://news.example/a")?.status).toBe(
      "stored",
    );
    // The duplicate item's edit is a story of its own, not a revision of the first one.
    const [edited] = await save([item("https://other.example/a", "Shared", "Now it says more.", true)]);
    expect(edited?.kind).toBe("new");
    expect((await store.getStory(story?.storyId as string))?.revision).toBe(1);
    await store.close();
  });
});
