// Reads the source files and checks the import rules written in docs/architecture.md.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const files = sources(SRC).map((path) => ({
  path: relative(SRC, path).replaceAll("\\", "/"),
  imports: [
    ...readFileSync(path, "utf8").matchAll(/^\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']/gm),
  ].map((m) => m[1] as string),
}));

describe("architecture boundaries", () => {
  it("finds the source files", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each([
    ["slack", /^@slack\//],
    ["discord", /^(discord\.js|@discordjs\/)/],
  ])("only src/chat/%s imports its platform packages", (platform, pattern) => {
    const offenders = files.filter(
      (f) => f.imports.some((i) => pattern.test(i)) && !f.path.startsWith(`chat/${platform}/`),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("no stage imports a chat platform folder except the composition root and the CLI", () => {
    const offenders = files.filter(
      (f) =>
        !f.path.startsWith("chat/") &&
        f.path !== "main.ts" &&
        !f.path.startsWith("cli/") &&
        f.imports.some((i) => /chat\/(slack|discord|console)\//.test(i)),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("the analysis and ingest stages never reach forward into commands, alerts or chat", () => {
    const offenders = files.filter(
      (f) =>
        /^(analysis|ingest)\//.test(f.path) && f.imports.some((i) => /\/(commands|alerts|chat)\//.test(i)),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("only the console adapter and the CLI write to stdout directly", () => {
    const offenders = files.filter((f) => {
      if (f.path.startsWith("chat/console/") || f.path.startsWith("cli/")) return false;
      return /console\.log|process\.stdout\.write/.test(readFileSync(join(SRC, f.path), "utf8"));
    });
    expect(offenders.map((f) => f.path)).toEqual([]);
  });
});
