// The analysis worker parses files as well as analysing them, exactly as this thread would; a broken worker
// costs nothing but speed (the engine falls back to this thread).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AnalysisPool } from "../../src/ingest/analysis-pool.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { silentLogger } from "../../src/log/logger.js";
import { analyse, ingestBed } from "../helpers/ingest.js";

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
});
