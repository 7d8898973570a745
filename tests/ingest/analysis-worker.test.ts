// The analysis worker parses files as well as analysing them, exactly as this thread would; a broken worker
// costs nothing but speed (the engine falls back to this thread).

import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AnalysisPool } from "../../src/ingest/analysis-pool.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { silentLogger } from "../../src/log/logger.js";
import { analyse, ingestBed } from "../helpers/ingest.js";
import { tempDir } from "../helpers/tmp.js";

const TEXT =
  "date 2024-05-01\n\nHackers linked to APT40 breached New Zealand's parliament network, officials said on Tuesday.\n";
const file = { path: "/seeds/a.txt", mtimeMs: 0 };

// The worker script exists in the build only (npm ci builds it), as in production.
const { startAnalysisPool } = (await import(
  "../../dist/src/ingest/analysis-pool.js" as string
)) as typeof import("../../src/ingest/analysis-pool.js");
const pool = startAnalysisPool({ log: silentLogger() }) as AnalysisPool;
afterAll(() => pool.close());

describe("the analysis worker", () => {
  it("parses and analyses a file's bytes as this thread does", async () => {
    const got = await pool.read(Buffer.from(TEXT), file);
    const here = readArticle(Buffer.from(TEXT), file);
    if ("rejected" in got || isRejected(here)) throw new Error("expected an article");
    expect(got.article).toEqual(here);
    const analysis = analyse(here);
    expect(got.analysis.actors.map((a) => a.id)).toEqual(["APT40"]);
    expect(got.analysis.summary).toBe(analysis.summary);
    expect([...(got.analysis.signatures?.signature ?? [])]).toEqual([
      ...(analysis.signatures?.signature ?? []),
    ]);
  });

  it("gives the reader's rejection for bytes that are no article", async () => {
    const bad = Buffer.from([0x64, 0x61, 0xff, 0xfe, 0x00, 0x41]);
    expect(await pool.read(bad, file)).toEqual(readArticle(bad, file));
  });
});

describe("the analysis worker opening files itself", () => {
  it("reads, parses and analyses a file inside the folder as this thread does", async () => {
    const seeds = join(tempDir(), "seeds");
    mkdirSync(seeds);
    const path = join(seeds, "a.txt");
    writeFileSync(path, TEXT);
    const got = await pool.open({ path, root: seeds, maxBytes: 1e6 }, { path, mtimeMs: 0 });
    if (got.kind !== "read" || "rejected" in got.result) throw new Error("expected an article");
    expect(got.size).toBe(Buffer.byteLength(TEXT));
    expect([...got.tail]).toEqual([0x0a]);
    expect(got.result.article).toEqual(readArticle(Buffer.from(TEXT), { path, mtimeMs: 0 }));
    expect(got.result.analysis.actors.map((a) => a.id)).toEqual(["APT40"]);
  });

  it("refuses a link out of the folder and reports a vanished file, reading nothing", async () => {
    const dir = tempDir();
    const seeds = join(dir, "seeds");
    mkdirSync(seeds);
    writeFileSync(join(dir, "secret.txt"), TEXT);
    const link = join(seeds, "link.txt");
    symlinkSync(join(dir, "secret.txt"), link);
    const out = await pool.open({ path: link, root: seeds, maxBytes: 1e6 }, { path: link, mtimeMs: 0 });
    expect(out).toMatchObject({ kind: "rejected", reason: "outside-seeds" });
    const gone = join(seeds, "gone.txt");
    const vanished = await pool.open({ path: gone, root: seeds, maxBytes: 1e6 }, { path: gone, mtimeMs: 0 });
    expect(vanished).toMatchObject({ kind: "rejected", reason: "vanished" });
  });

  it("is what the engine uses with the real file system, and stores the file", async () => {
    const { seeds, store, engine } = ingestBed({ readAsync: pool.read });
    writeFileSync(join(seeds, "a.txt"), TEXT);
    writeFileSync(join(seeds, "b.txt"), "no newline at the end, but old enough to be finished");
    expect(await engine.scan(seeds)).toMatchObject({ new: 2, rejected: 0 });
    expect((await store.latest(5)).stories.map((s) => s.path).sort()).toEqual(
      ["a.txt", "b.txt"].map((f) => join(seeds, f)),
    );
    await store.close();
  });
});

describe("ingest with a broken worker", () => {
  it("stores the file anyway, parsed and analysed in this thread", async () => {
    const broken = async () => {
      throw new Error("analysis worker exited with code 1");
    };
    const { seeds, store, engine } = ingestBed({ readAsync: broken, analyseAsync: broken });
    writeFileSync(join(seeds, "a.txt"), TEXT);
    expect(await engine.scan(seeds)).toMatchObject({ new: 1, rejected: 0 });
    expect((await store.latest(5)).stories[0]?.actors.map((a) => a.id)).toEqual(["APT40"]);
    await store.close();
  });

  it("stores the file anyway when the worker fails to open it", async () => {
    const broken = Object.assign(
      async () => {
        throw new Error("analysis worker exited with code 1");
      },
      {
        open: async () => {
          throw new Error("analysis worker exited with code 1");
        },
      },
    );
    const { seeds, store, engine } = ingestBed({ readAsync: broken });
    writeFileSync(join(seeds, "a.txt"), TEXT);
    expect(await engine.scan(seeds)).toMatchObject({ new: 1, rejected: 0 });
    expect((await store.latest(5)).stories[0]?.actors.map((a) => a.id)).toEqual(["APT40"]);
    await store.close();
  });
});
