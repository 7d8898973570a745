// The resolver API the command layer uses, load time, and local overrides.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAnalyser, loadGazetteer } from "../../src/analysis/index.js";
import { articleFromMarkdown, gazetteer } from "./helpers.js";

const g = gazetteer();

describe("resolveActor", () => {
  it("resolves any alias regardless of case, spaces and hyphens", () => {
    for (const q of [
      "apt 40",
      "APT-40",
      "apt40",
      "kryptonite panda",
      "gingham typhoon",
      "leviathan",
      "G0065",
      "TA423",
    ]) {
      expect(g.resolveActor(q)?.id, q).toBe("APT40");
    }
    expect(g.resolveActor("midnight blizzard")?.id).toBe("APT29");
    expect(g.resolveActor("salt typhoon")?.id).toBe("GhostEmperor");
    expect(g.resolveActor("no such actor")).toBeUndefined();
  });

  it("returns facts with the best-known names first", () => {
    const apt40 = g.actor("APT40");
    expect(apt40).toMatchObject({ id: "APT40", name: "APT40", attackId: "G0065", sponsor: "CN" });
    expect(apt40?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(apt40?.aliases.slice(0, 3)).toEqual(["APT40", "Gingham Typhoon", "Kryptonite Panda"]);
    expect(g.actors().length).toBeGreaterThan(1000);
  });

  it("leaves aliases MISP gives to two actors equally unresolved", () => {
    expect(g.resolveActor("Grizzly Steppe")).toBeUndefined();
    expect(g.resolveActor("PLA Navy")).toBeUndefined();
  });
});

describe("resolveCountry", () => {
  it("resolves codes, names, demonyms and abbreviations", () => {
    expect(g.resolveCountry("nz")?.code).toBe("NZ");
    expect(g.resolveCountry("new zealand")?.code).toBe("NZ");
    expect(g.resolveCountry("chinese")?.code).toBe("CN");
    expect(g.resolveCountry("uk")?.code).toBe("GB");
    expect(g.resolveCountry("usa")?.code).toBe("US");
    expect(g.resolveCountry("Atlantis")).toBeUndefined();
  });

  it("gives the common name, a flag and demonyms", () => {
    expect(g.country("gb")).toMatchObject({ code: "GB", name: "United Kingdom", flag: "🇬🇧" });
    expect(g.country("NZ")?.demonyms).toContain("New Zealander");
    expect(g.countries().length).toBeGreaterThan(240);
  });
});

describe("suggest and prefixSearch", () => {
  it("suggests the closest names by edit distance", () => {
    expect(g.suggest("apt4o", 3)[0]).toMatchObject({ kind: "actor", id: "APT40" });
    expect(g.suggest("new zeland", 3)[0]).toMatchObject({ kind: "country", id: "NZ" });
    expect(g.suggest("qqqqqqqqqq", 3)).toEqual([]);
  });

  it("completes prefixes of aliases and country names", () => {
    const hits = g.prefixSearch("kryp", 10);
    expect(hits[0]).toEqual({ kind: "actor", id: "APT40", label: "APT40", alias: "Kryptonite Panda" });
    expect(g.prefixSearch("new zea", 5)[0]).toMatchObject({ kind: "country", id: "NZ" });
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
  });
});

describe("loading", () => {
  it("loads the shipped gazetteer afresh (its load time is measured by `npm run bench:tag`)", () => {
    const fresh = loadGazetteer();
    expect(fresh.resolveActor("kryptonite panda")?.id).toBe("APT40");
    expect(fresh.prefixSearch("new zea", 5)[0]).toMatchObject({ kind: "country", id: "NZ" });
  });
});

describe("overrides", () => {
  const dir = mkdtempSync(join(tmpdir(), "cyberbrief-overrides-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "actors.overrides.json");
  writeFileSync(
    path,
    JSON.stringify({
      addActors: [{ id: "Harbour Heron", sponsor: "ir", aliases: ["HERON-77"] }],
      addAliases: { APT40: ["Reef Raider"], APT29: ["Salt Typhoon"] },
      suppress: ["Leviathan"],
    }),
  );
  const custom = loadGazetteer({ overridesPath: path });
  const analyse = createAnalyser(custom);
  const ids = (text: string) => analyse(articleFromMarkdown(`# Note\n\n${text}`)).actors.map((a) => a.id);

  it("adds actors and aliases, classifying new aliases at load", () => {
    expect(custom.resolveActor("heron 77")).toMatchObject({ id: "Harbour Heron", sponsor: "IR" });
    expect(custom.resolveActor("reef raider")?.id).toBe("APT40");
    expect(ids("Hackers tracked as HERON-77 and Reef Raider were seen.")).toEqual(["Harbour Heron", "APT40"]);
  });

  it("moves an alias to the actor an override names", () => {
    expect(custom.resolveActor("salt typhoon")?.id).toBe("APT29");
    expect(gazetteer().resolveActor("salt typhoon")?.id).toBe("GhostEmperor");
  });

  it("suppresses aliases for matching and resolution", () => {
    expect(custom.resolveActor("leviathan")).toBeUndefined();
    expect(ids("The Leviathan group phished shipbuilders.")).toEqual([]);
  });
});
