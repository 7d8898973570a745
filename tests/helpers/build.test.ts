// The tests' build step fails loudly on a type error instead of running the tests on whatever tsc emitted.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "./build.js";
import { tempDir } from "./tmp.js";

function project(source: string): string {
  const dir = tempDir("cyberbrief-build-");
  writeFileSync(join(dir, "a.ts"), source);
  const options = { strict: true, outDir: join(dir, "out"), types: [] };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: options, files: ["a.ts"] }));
  return join(dir, "tsconfig.json");
}

describe("the build for the tests", () => {
  it("throws with the compiler's message when the code does not type-check", () => {
    expect(() => compile(project('export const n: number = "one";\n'))).toThrow(
      /a\.ts\(1,14\): error TS2322/,
    );
  });
});
