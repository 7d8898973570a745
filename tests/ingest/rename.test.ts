// A renamed file keeps its story and its edits are revisions; a copy is a duplicate while both files exist,
// and an edited copy (original still there) is a story of its own. Through the real engine and store.

import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { Article } from "../../src/core/article.js";
import type { SaveOutcome } from "../../src/core/story.js";
import { silentLogger } from "../../src/log/logger.js";
import { buildCore } from "../../src/main.js";
import { ingestBed } from "../helpers/ingest.js";
import { tempDir } from "../helpers/tmp.js";

const text = "date 2024-05-01\n\nHackers linked to APT40 struck a New Zealand agency. It was found late.\n";
const edited = `${text}\nThe GCSB later confirmed the breach.\n`;

function setup() {
  const alerts: Array<{ kind: string; story: string; revision: number }> = [];
  const onStored = (_a: Article, o: SaveOutcome) =>
    alerts.push({ kind: o.kind, story: o.storyId, revision: o.revision });
  const { seeds, store, engine } = ingestBed({ onStored }, { fileExists: existsSync });
  /** Write, with an mtime that differs from the last one even within one clock tick. */
  let tick = 0;
  const put = (name: string, content: string) => {
    writeFileSync(join(seeds, name), content);
    const t = new Date(Date.now() - 60_000 + ++tick * 1000);
    utimesSync(join(seeds, name), t, t);
  };
  return { seeds, store, engine, alerts, put, at: (name: string) => join(seeds, name) };
}

describe("renamed and copied files", () => {
  it("mv a.txt b.txt, then editing b.txt, revises the same story (scan and watcher events alike)", async () => {
    const { seeds, store, engine, alerts, put, at } = setup();
    put("a.txt", text);
    await engine.scan(seeds);
    renameSync(at("a.txt"), at("b.txt"));
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, duplicate: 1 });
    put("b.txt", edited);
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, updated: 1 });
    // And once more, by watcher events only: b.txt -> c.txt, then an edit.
    renameSync(at("b.txt"), at("c.txt"));
    expect(await engine.enqueue(at("c.txt"))).toBe("duplicate");
    put("c.txt", `${edited}\nA third paragraph.\n`);
    expect(await engine.enqueue(at("c.txt"))).toBe("revised");

    expect(alerts.map((a) => `${a.kind} ${a.revision}`)).toEqual(["new 1", "revised 2", "revised 3"]);
    expect(new Set(alerts.map((a) => a.story)).size).toBe(1);
    expect((await store.stats()).stories).toBe(1);
    const [story] = (await store.latest(5)).stories;
    expect(story?.path).toBe(at("c.txt"));
    // The ledger forgets the old names (their files are gone) and binds the story to the new one.
    const ledger = await store.fileIndex();
    expect([...ledger.keys()]).toEqual([at("c.txt")]);
    expect(ledger.get(at("c.txt"))).toMatchObject({ status: "stored", storyId: story?.id });
    await store.close();
  });

  it("a copy is a duplicate while both files exist; the edited copy is its own story", async () => {
    const { seeds, store, engine, alerts, put, at } = setup();
    put("a.txt", text);
    await engine.scan(seeds);
    copyFileSync(at("a.txt"), at("b.txt"));
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, duplicate: 1 });
    expect((await store.fileIndex()).get(at("b.txt"))?.status).toBe("duplicate");
    // Both files exist, so b.txt is a copy someone is turning into another article.
    put("b.txt", edited);
    expect(await engine.scan(seeds)).toMatchObject({ new: 1, updated: 0 });
    // Editing the original still revises the first story.
    put("a.txt", `${text}\nAn update from the agency.\n`);
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, updated: 1 });
    expect(alerts.map((a) => a.kind)).toEqual(["new", "new", "revised"]);
    expect((await store.stats()).stories).toBe(2);
    await store.close();
  });

  it("a copy whose original is then removed is the rename it amounts to: its edit is a revision", async () => {
    const { seeds, store, engine, alerts, put, at } = setup();
    put("a.txt", text);
    await engine.scan(seeds);
    copyFileSync(at("a.txt"), at("b.txt"));
    await engine.scan(seeds);
    rmSync(at("a.txt"));
    put("b.txt", edited);
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, updated: 1 });
    expect(alerts.map((a) => a.kind)).toEqual(["new", "revised"]);
    expect((await store.latest(5)).stories[0]?.path).toBe(at("b.txt"));
    await store.close();
  });
});

describe("renames in the assembled bot", () => {
  it("buildCore wires the file check: mv then edit is a revision", async () => {
    const dir = tempDir();
    const seeds = join(dir, "seeds");
    mkdirSync(seeds);
    const config = loadConfig({ env: {}, flags: { db: join(dir, "db.sqlite"), seeds } });
    const core = await buildCore({ ...config, ingest: { ...config.ingest, settleMs: 0 } }, silentLogger());
    try {
      writeFileSync(join(seeds, "a.txt"), text);
      await core.engine.scan();
      renameSync(join(seeds, "a.txt"), join(seeds, "b.txt"));
      await core.engine.scan();
      writeFileSync(join(seeds, "b.txt"), edited);
      utimesSync(join(seeds, "b.txt"), new Date(), new Date(Date.now() + 2000));
      expect(await core.engine.scan()).toMatchObject({ new: 0, updated: 1 });
      expect((await core.store.stats()).stories).toBe(1);
    } finally {
      await core.close();
    }
  });
});
