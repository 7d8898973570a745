// What ships: src/ needs only runtime dependencies, and the image and the package hold no bench, test or script code.

import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSources } from "./layers.js";

const ROOT = join(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  files: string[];
};

/** "@slack/bolt/x" → "@slack/bolt", "yaml/util" → "yaml". */
const packageName = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("what ships", () => {
  it("src/ imports only runtime dependencies and Node built-ins", () => {
    const builtins = new Set(builtinModules);
    const missing = readSources(join(ROOT, "src")).flatMap((f) =>
      f.imports
        .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtins.has(packageName(s)))
        .filter((s) => !(packageName(s) in pkg.dependencies))
        .map((s) => `${f.path} imports ${s}`),
    );
    expect(missing).toEqual([]);
  });

  it("the gazetteer compiler's country data is a build-time dependency only", () => {
    expect(pkg.devDependencies["world-countries"]).toBeDefined();
    expect(pkg.dependencies["world-countries"]).toBeUndefined();
  });

  it("the image's run stage copies only the bundled CLI, production modules, data, config and seeds", () => {
    const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    const runStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    const sources = [...runStage.matchAll(/^COPY\s+(?:--\S+\s+)*(\S+)\s+\S+$/gm)].map((m) => m[1]);
    expect(sources.sort()).toEqual([
      "/app/dist/bundle",
      "/app/node_modules",
      "config",
      "data",
      "package.json",
      "seeds",
    ]);
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["tests", "bench", "scripts"]));
  });

  it("the npm package lists the bundled CLI, not bench or script output", () => {
    expect(pkg.files).toContain("dist/bundle");
    expect(pkg.files.filter((f) => /^dist\/?$|bench|scripts|tests/.test(f))).toEqual([]);
  });
});
