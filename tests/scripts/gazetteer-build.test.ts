// Rebuilding the gazetteer from a small MISP-shaped fixture: linking, merging, alias ownership, rules.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildGazetteer } from "../../scripts/gazetteer/index.js";
import { createAnalyser, loadGazetteer } from "../../src/analysis/index.js";
import { normalKey } from "../../src/analysis/token-keys.js";
import type { ActorsFile, CountriesFile } from "../../src/analysis/types.js";
import { articleFromMarkdown } from "../analysis/helpers.js";

const MISP = join(import.meta.dirname, "../fixtures/misp");
const ROOT = join(import.meta.dirname, "../..");
const words = new Set([
  "leviathan",
  "the",
  "dukes",
  "bear",
  "fancy",
  "cozy",
  "kryptonite",
  "panda",
  "group",
  "lonely",
]);

describe("gazetteer build from MISP galaxies", () => {
  const { actors } = buildGazetteer(MISP, words);
  const actor = (id: string) => actors.actors.find((a) => a.id === id);

  it("merges clusters that ATT&CK names as one group, the canonical name staying primary", () => {
    const apt29 = actor("APT29");
    expect(apt29?.merged).toEqual([{ id: "UNC2452", uuid: "10000000-0000-4000-8000-000000002452" }]);
    expect(actor("UNC2452")).toBeUndefined();
    expect(apt29?.attackId).toBe("G0016");
    expect(apt29?.aliases.map((a) => a.name)).toEqual(
      expect.arrayContaining(["Midnight Blizzard", "UNC2452", "Nobelium"]),
    );
  });

  it("leaves an alias two actors claim equally to nobody, and records the contest", () => {
    const contest = actors.contested.find((c) => c.alias === "Grizzly Steppe");
    expect(contest).toMatchObject({ winner: null, rule: "undecided" });
    expect(contest?.claimants.map((c) => c.id).sort()).toEqual(["APT28", "APT29"]);
    for (const a of actors.actors) expect(a.aliases.map((x) => x.name)).not.toContain("Grizzly Steppe");
  });

  it("attaches Microsoft and ATT&CK clusters to the actor that lists them", () => {
    const ghost = actor("GhostEmperor");
    expect(ghost?.aliases.find((a) => a.name === "Salt Typhoon")?.sources).toEqual([
      "microsoft-activity-group",
      "threat-actor",
    ]);
    expect(actor("APT40")?.attackId).toBe("G0065");
    expect(actor("APT28")?.attackId).toBe("G0007");
  });

  it("makes clusters that match no threat actor into actors of their own", () => {
    expect(actor("Lonely Group")).toMatchObject({
      attackId: "G9999",
      sponsor: null,
      origin: "mitre-intrusion-set",
    });
    expect(actor("Storm-0999")).toMatchObject({ sponsor: "IR", origin: "microsoft-activity-group" });
  });

  it("maps cfr sponsor names to alpha-2 codes with the country cluster", () => {
    expect(actor("APT28")?.sponsor).toBe("RU");
  });

  it("classifies ordinary words with the word list and switches off unusable aliases", () => {
    const aliases = actor("APT40")?.aliases ?? [];
    const by = (name: string) => aliases.find((a) => a.name === name);
    expect(by("Leviathan")).toMatchObject({ ordinary: true, context: "cue", match: "cap" });
    expect(by("Kryptonite Panda")).toMatchObject({ scheme: "crowdstrike", context: "none" });
    expect(by("TA423")).toMatchObject({ match: "any", context: "none", ordinary: false });
    expect(by("12345")).toMatchObject({ match: "off", note: "digits only" });
    expect(by("X")).toMatchObject({ match: "off", note: "too short" });
    // One spelling per alias, the title-cased one preferred over the shouted one.
    expect(aliases.filter((a) => a.name.toLowerCase() === "kryptonite panda")).toHaveLength(1);
  });

  it("ships data whose precomputed keys match the current tokenizer (rebuild after changing it)", () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, "data/actors.json"), "utf8")) as ActorsFile;
    const countries = JSON.parse(readFileSync(join(ROOT, "data/countries.json"), "utf8")) as CountriesFile;
    const stale = [
      ...shipped.actors.flatMap((a) => a.aliases.map((x) => [x.name, x.key] as const)),
      ...countries.countries.flatMap((c) => c.terms.map((x) => [x.text, x.key] as const)),
    ].filter(([name, key]) => key !== normalKey(name));
    expect(stale).toEqual([]);
  });

  describe("npm run gazetteer (the compiled script)", () => {
    const out = mkdtempSync(join(tmpdir(), "cyberbrief-gazetteer-"));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it("writes actors.json and countries.json that load and tag", () => {
      const stdout = execFileSync(
        process.execPath,
        [join(ROOT, "dist/scripts/gazetteer.js"), "--misp", MISP, "--out", out],
        {
          encoding: "utf8",
        },
      );
      expect(stdout).toMatch(/gazetteer: \d+ actors/);
      const written = JSON.parse(readFileSync(join(out, "actors.json"), "utf8")) as ActorsFile;
      expect(written.sources.map((s) => s.name)).toEqual([
        "threat-actor",
        "mitre-intrusion-set",
        "microsoft-activity-group",
        "country",
      ]);
      const g = loadGazetteer({ dataDir: out, overridesPath: join(out, "none.json") });
      expect(g.resolveActor("midnight blizzard")?.id).toBe("APT29");
      expect(g.resolveActor("grizzly steppe")).toBeUndefined();
      const analysis = createAnalyser(g)(
        articleFromMarkdown(
          "# Test\n\nMicrosoft said Midnight Blizzard and Salt Typhoon hackers were active.",
        ),
      );
      expect(analysis.actors.map((a) => a.id)).toEqual(["APT29", "GhostEmperor"]);
    });

    it("fails with usage when --misp is missing", () => {
      expect(() =>
        execFileSync(process.execPath, [join(ROOT, "dist/scripts/gazetteer.js")], {
          encoding: "utf8",
          stdio: "pipe",
        }),
      ).toThrow();
    });
  });
});
