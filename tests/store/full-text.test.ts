// The full-text rows the saver writes at the end of each save transaction match the stories that committed.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { file, openStore } from "../alerts/fixtures.js";
import { analyse } from "../helpers/ingest.js";

const DIR = join(import.meta.dirname, "../fixtures/events");

function fixture(name: string, path: string): Article {
  const a = readArticle(readFileSync(join(DIR, name)), { path, mtimeMs: 0 });
  if (isRejected(a)) throw new Error(a.detail);
  return a;
}

const item = (a: Article) => ({ article: a, analysis: analyse(a), file: file(a.path) });

describe("full-text rows", () => {
  it("follow a story new and revised in the same batch, and pass FTS5's integrity check", async () => {
    const store = openStore();
    const first = fixture("e01-apt40-nz-a.md", "/seeds/one.md");
    const revised = fixture("e02-apt40-advisory-a.md", "/seeds/one.md");
    const second = fixture("e01-apt40-nz-b.md", "/seeds/two.md");
    const kinds = (await store.saveArticles([item(first), item(second), item(revised)])).map((o) => o.kind);
    expect(kinds).toEqual(["new", "new", "revised"]);
    const db = store.db;
    // FTS5 checks its index against the stories table (its content table): it throws when they differ.
    db.prepare("INSERT INTO stories_fts (stories_fts, rank) VALUES ('integrity-check', 1)").run();
    const match = (q: string) =>
      db
        .prepare(
          "SELECT s.path FROM stories_fts f JOIN stories s ON s.rowid = f.rowid WHERE stories_fts MATCH ?",
        )
        .pluck()
        .all(q);
    const onlyFirst = first.title.split(" ").find((w) => /^[a-z]{6,}$/i.test(w) && !revised.body.includes(w));
    expect(onlyFirst).toBeDefined();
    expect(match(`title:${onlyFirst}`)).not.toContain("/seeds/one.md");
    expect(match(`"${revised.title.replace(/"/g, "")}"`)).toContain("/seeds/one.md");
    await store.close();
  });
});
