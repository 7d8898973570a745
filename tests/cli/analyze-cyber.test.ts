// `cyberbrief analyze`: each file's JSON carries `cyber` (the contract), and the text report says it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analysisReport } from "../../src/cli/analyze.js";
import { readArticle } from "../../src/ingest/reader.js";
import { runCli } from "../helpers/cli.js";
import { SEED_STORY } from "../helpers/workspace.js";

const DUNE = join(import.meta.dirname, "../fixtures/relevance/dune-review.md");

describe("analyze and the cyber signal", () => {
  it("--json gives each file a boolean cyber and its evidence: the seed is cyber, the Dune review is not", async () => {
    const { code, stdout } = await runCli(["analyze", SEED_STORY, DUNE, "--json"]);
    expect(code).toBe(0);
    const [seed, dune] = JSON.parse(stdout);
    expect(seed).toMatchObject({ file: SEED_STORY, cyber: true });
    expect(seed.cyberEvidence.length).toBeGreaterThan(0);
    expect(dune).toMatchObject({ file: DUNE, cyber: false, actors: [], cyberEvidence: [] });
  });

  it("--json gives each file its sectors with evidence: the seed's government and elections, none for Dune", async () => {
    const { code, stdout } = await runCli(["analyze", SEED_STORY, DUNE, "--json"]);
    expect(code).toBe(0);
    const [seed, dune] = JSON.parse(stdout);
    const article = readArticle(readFileSync(SEED_STORY), { path: SEED_STORY, mtimeMs: 0 });
    const body = "body" in article ? article.body : "";
    expect(seed.sectors.map((s: { id: string }) => s.id).sort()).toEqual(["elections", "government"]);
    const elections = seed.sectors.find((s: { id: string }) => s.id === "elections");
    const offset = body.indexOf("Electoral Commission");
    expect(offset).toBeGreaterThan(0);
    expect(elections).toEqual({ id: "elections", matched: [{ text: "Electoral Commission", offset }] });
    expect(dune.sectors).toEqual([]);
  });

  it("the text report has a Cyber line saying why, or that `all` subscribers are not alerted", () => {
    const base = { file: "a.md", title: "T", date: "2024-01-01", summary: "S", actors: [], countries: [] };
    const yes = analysisReport([{ ...base, cyber: true, cyberEvidence: [{ text: "phishing", offset: 3 }] }]);
    expect(yes).toContain("Cyber:     yes, matched phishing");
    const no = analysisReport([{ ...base, cyber: false, cyberEvidence: [] }]);
    expect(no).toContain('Cyber:     no (stored, but not alerted to "all" subscribers)');
    expect(no).not.toContain("Sectors:");
    const sectors = [{ id: "healthcare" as const, matched: [{ text: "hospitals", offset: 9 }] }];
    const hit = analysisReport([{ ...base, cyber: true, cyberEvidence: [], sectors }]);
    expect(hit).toContain("Sectors:   healthcare (matched hospitals)");
  });
});
