// Contract: full-text search means the same on SQLite (FTS5) and PostgreSQL (tsvector): every term must appear,
// word forms match, a term of several words is a phrase, accents and punctuation do not matter, and nothing the
// user types is query syntax.

import { expect, it } from "vitest";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { type ContractStore, contract } from "./stores.js";

const noTags = analysisOf({ summary: "s" });
const file = (path: string) => ({ path, size: 10, mtimeMs: 1 });

async function withStories(store: ContractStore, bodies: Record<string, string>): Promise<void> {
  for (const [path, body] of Object.entries(bodies))
    await store.saveArticle(article(path, body), noTags, file(path));
}

const titles = async (store: ContractStore, terms: string[]) =>
  (await store.search(terms, 10)).stories.map((s) => s.path).sort();

contract("full-text search", ({ open }) => {
  it("follows a story's insert and revision", async () => {
    const store = await open();
    await store.saveArticle(article("/a.txt", "Parliament espionage campaign."), noTags, file("/a.txt"));
    expect((await store.search(["parliament"], 5)).total).toBe(1);
    await store.saveArticle(article("/a.txt", "Electoral commission breach."), noTags, file("/a.txt"));
    expect((await store.search(["parliament"], 5)).total).toBe(0);
    expect((await store.search(["electoral", "breach"], 5)).total).toBe(1);
  });

  it("needs every term, matches word forms, and reads a term of several words as a phrase", async () => {
    const store = await open();
    await withStories(store, {
      "/a.txt": "Hackers attacked the electoral commission of New Zealand.",
      "/b.txt": "The commission published an electoral roll after the attack.",
      "/c.txt": "Nothing to see here.",
    });
    expect(await titles(store, ["electoral"])).toEqual(["/a.txt", "/b.txt"]);
    expect(await titles(store, ["electoral", "hackers"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["attacks"])).toEqual(["/a.txt", "/b.txt"]);
    expect(await titles(store, ["hacker"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["electoral commission"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["commission electoral"])).toEqual([]);
    expect(await titles(store, ["the"])).toEqual(["/a.txt", "/b.txt"]);
    expect(await titles(store, ["electoral", "missingword"])).toEqual([]);
  });

  it("ignores case, accents and punctuation inside words", async () => {
    const store = await open();
    await withStories(store, {
      "/a.txt": "The U.S. agency said Zürich firms patched CVE-2024-3400 on Monday.",
      "/b.txt": "A cafe in Paris.",
    });
    expect(await titles(store, ["zurich"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["ZÜRICH"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["café"])).toEqual(["/b.txt"]);
    expect(await titles(store, ["U.S."])).toEqual(["/a.txt"]);
    expect(await titles(store, ["cve-2024-3400"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["2024 3400"])).toEqual(["/a.txt"]);
  });

  it("a phrase never runs from the title into the body, and short words are never stemmed", async () => {
    const store = await open();
    await store.saveArticle(
      article("/a.txt", "Electoral roll leaked as US agencies used it.", { title: "Breach report" }),
      noTags,
      file("/a.txt"),
    );
    expect(await titles(store, ["breach report"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["report electoral"])).toEqual([]);
    expect(await titles(store, ["electoral roll"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["a"])).toEqual([]);
    expect(await titles(store, ["us"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["use"])).toEqual(["/a.txt"]);
  });

  it("treats query syntax in terms as literal text", async () => {
    const store = await open();
    await withStories(store, { "/a.txt": "Plain words here." });
    for (const term of [
      '"',
      "*",
      "NEAR(",
      "OR",
      "-",
      ":",
      'a" OR "b',
      "title:plain",
      "plain*",
      "!",
      "&",
      "<->",
    ]) {
      await expect(store.search([term], 5)).resolves.toBeDefined();
    }
    expect(await titles(store, ["plain", "OR", "nothing"])).toEqual([]);
    expect(await titles(store, ["plain*"])).toEqual(["/a.txt"]);
    expect(await titles(store, ["title:plain"])).toEqual([]);
    expect(await store.search(["!!", "   "], 5)).toEqual({ stories: [], total: 0 });
  });

  it("lists newest stored first and caps the count at 1000", async () => {
    const store = await open();
    const items = Array.from({ length: 1003 }, (_, i) => ({
      article: article(`/s${i}.txt`, `Common word story number ${i}.`),
      analysis: noTags,
      file: file(`/s${i}.txt`),
    }));
    await store.saveArticles(items);
    const page = await store.search(["common"], 3);
    expect(page).toMatchObject({ total: 1000, capped: true });
    expect(page.stories.map((s) => s.path)).toEqual(["/s1002.txt", "/s1001.txt", "/s1000.txt"]);
    const few = await store.search(["number", "1002"], 3);
    expect(few.total).toBe(1);
    expect(few.capped).toBeUndefined();
  });

  it("keywordsIn says which keyword phrases a story contains, by search's rule", async () => {
    const store = await open();
    const { storyId } = await store.saveArticle(
      article("/a.txt", "Attackers breached the Electoral Commissions servers."),
      noTags,
      file("/a.txt"),
    );
    expect(
      await store.keywordsIn(storyId, [
        "keyword:electoral commission",
        "keyword:commission electoral",
        "keyword:breach",
        "keyword:ransomware",
      ]),
    ).toEqual(["keyword:electoral commission", "keyword:breach"]);
    expect(await store.keywordsIn("00000000", ["keyword:breach"])).toEqual([]);
  });
});
