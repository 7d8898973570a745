// loadNames (the resolver alone, for the command layer) answers exactly as the whole gazetteer does.

import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadGazetteer, loadNames } from "../../src/analysis/index.js";
import { compactNames, NAMES_FILE } from "../../src/analysis/names-data.js";
import { packagePath } from "../../src/core/paths.js";
import { tempDir } from "../helpers/tmp.js";

const opts = { overridesPath: packagePath("config", "actors.overrides.json") };
const whole = loadGazetteer(opts);
const names = loadNames(opts);

describe("loadNames", () => {
  it("resolves every actor alias, id and code, and every country name, as loadGazetteer does", () => {
    const queries = new Set<string>(["apt 40", "ATP 40", "no such actor", "nz", "chinese", "usa", "G0065"]);
    for (const a of whole.actors()) {
      queries.add(a.id);
      queries.add(a.uuid);
      if (a.attackId) queries.add(a.attackId);
      for (const alias of a.aliases) queries.add(alias);
    }
    for (const c of whole.countries()) {
      queries.add(c.code);
      queries.add(c.name);
      for (const alias of c.aliases) queries.add(alias);
    }
    expect(queries.size).toBeGreaterThan(3000);
    for (const q of queries) {
      expect(names.resolveActor(q), q).toEqual(whole.resolveActor(q));
      expect(names.resolveCountry(q), q).toEqual(whole.resolveCountry(q));
      expect(names.actor(q), q).toEqual(whole.actor(q));
      expect(names.country(q), q).toEqual(whole.country(q));
    }
    expect(names.actors()).toEqual(whole.actors());
    expect(names.countries()).toEqual(whole.countries());
  });

  it("suggests and completes the same names", () => {
    for (const q of ["kryptonit panda", "gingam typhon", "new zeland", "apt4", "kry", "fancy b", "zz"]) {
      expect(names.suggest(q, 5), q).toEqual(whole.suggest(q, 5));
      expect(names.prefixSearch(q, 10), q).toEqual(whole.prefixSearch(q, 10));
    }
  });

  it("reads data/names.json, the compact form of actors.json and countries.json (npm run gazetteer rewrites it)", () => {
    const read = (name: string) => JSON.parse(readFileSync(packagePath("data", name), "utf8"));
    expect(read(NAMES_FILE)).toEqual(compactNames(read("actors.json"), read("countries.json")));
  });

  it("reads the whole files in a data folder without names.json, with the same answers", () => {
    const dir = tempDir("cyberbrief-names-");
    for (const f of ["actors.json", "countries.json"]) copyFileSync(packagePath("data", f), join(dir, f));
    const fromWhole = loadNames({ ...opts, dataDir: dir });
    for (const q of ["apt40", "kryptonite panda", "G0065", "nz", "chinese", "Kremlin", "ohio"]) {
      expect(fromWhole.resolveActor(q), q).toEqual(names.resolveActor(q));
      expect(fromWhole.resolveCountry(q), q).toEqual(names.resolveCountry(q));
    }
    expect(fromWhole.suggest("kryptonit panda", 5)).toEqual(names.suggest("kryptonit panda", 5));
  });

  it("has no matcher: it is not a Gazetteer with an index", () => {
    expect("index" in names).toBe(false);
  });
});
