// Checks src/ against the layer rules in docs/architecture.md, and proves the check fails on a broken copy.

import { appendFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { checkArchitecture, compareWithKnown, importsOf, MAX_LINES, readSources } from "./layers.js";

const SRC = join(import.meta.dirname, "../../src");

/**
 * Imports allowed to break the layer rule ("from -> to", relative to src/). Issue 12 emptied it; the test fails if
 * a listed import is no longer there, so the list can only shrink. Never add to it: move the shared word down.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

const show = (found: ReturnType<typeof checkArchitecture>) =>
  found.map((v) => `${v.rule}: ${v.key} (${v.detail})`);

describe("architecture boundaries", () => {
  it("finds the source files and their imports", () => {
    const files = readSources(SRC);
    expect(files.length).toBeGreaterThan(20);
    expect(files.find((f) => f.path === "main.ts")?.imports.length).toBeGreaterThan(5);
  });

  it("src/ keeps the layer, SDK, platform, cycle and size rules, apart from the known violations", () => {
    const { unexpected } = compareWithKnown(checkArchitecture(SRC, KNOWN_VIOLATIONS), KNOWN_VIOLATIONS);
    expect(show(unexpected)).toEqual([]);
  });

  it("every known violation still exists (fixed ones must leave KNOWN_VIOLATIONS)", () => {
    const { gone } = compareWithKnown(checkArchitecture(SRC, KNOWN_VIOLATIONS), KNOWN_VIOLATIONS);
    expect(gone).toEqual([]);
  });

  it("only src/store/sqlite/ touches the database connection; only main/stores*.ts build the stores", () => {
    const outside = readSources(SRC).filter((f) => !f.path.startsWith("store/sqlite/"));
    const touches = outside.filter((f) =>
      /\.db\.\w|\bstore\.db\b/.test(readFileSync(join(SRC, f.path), "utf8")),
    );
    expect(touches.map((f) => f.path)).toEqual([]);
    const builders = outside.filter((f) => f.imports.some((i) => i.endsWith("store/sqlite/store.js")));
    expect(builders.map((f) => f.path)).toEqual(["main/stores.ts"]);
    const pgBuilders = readSources(SRC).filter(
      (f) => !f.path.startsWith("store/pg/") && f.imports.some((i) => i.endsWith("store/pg/store.js")),
    );
    expect(pgBuilders.map((f) => f.path)).toEqual(["main/stores-pg.ts"]);
  });

  it("only the console adapter and the CLI write to stdout directly", () => {
    const offenders = readSources(SRC).filter((f) => {
      if (f.path.startsWith("chat/console/") || f.path.startsWith("cli/")) return false;
      return /console\.log|process\.stdout\.write/.test(readFileSync(join(SRC, f.path), "utf8"));
    });
    expect(offenders.map((f) => f.path)).toEqual([]);
  });
});

describe("the architecture check itself", () => {
  it("reads type-only imports, re-exports, import() and import types with the TypeScript parser", () => {
    const text = [
      'import type { A } from "./a.js";',
      'export { b } from "./b.js";',
      'export * from "./c.js";',
      'const d = await import("./d.js");',
      'let e: import("./e.js").E;',
      "// import x from './comment.js';",
      "const s = \"import y from './string.js'\";",
      "const f = await import(name);",
    ].join("\n");
    expect(importsOf("x.ts", text)).toEqual({
      specifiers: ["./a.js", "./b.js", "./c.js", "./d.js", "./e.js"],
      computed: 1,
    });
  });

  it("reports a broken copy of src/: upward, sideways, platform, SDK, outside, cycle, size, unplaced, unparsed", () => {
    const src = join(tempDir("cyberbrief-arch-"), "src");
    cpSync(SRC, src, { recursive: true });
    const add = (path: string, text: string) => writeFileSync(join(src, path), `// test file\n${text}\n`);
    add("core/upward.ts", 'export type { ChatAdapter } from "../chat/types.js";');
    add(
      "core/lazy.ts",
      'export const slack = () => import("../chat/slack/app.js");\nexport const any = (n: string) => import(n);',
    );
    add(
      "analysis/loop.ts",
      'import type { RejectReason } from "../ingest/reader.js";\nexport type R = RejectReason;',
    );
    add("alerts/sdk.ts", 'import { App } from "@slack/bolt";\nexport { App };');
    add("chat/slack/cross.ts", 'export { renderReply } from "../discord/render.js";');
    add("widgets.ts", "export const w = 1;");
    add("log/long.ts", "export const x = 1;\n".repeat(MAX_LINES - 1));
    appendFileSync(join(src, "config/load.ts"), '\nimport "../../tests/helpers/tmp.js";\n');

    const found = checkArchitecture(src, KNOWN_VIOLATIONS);
    const { unexpected } = compareWithKnown(found, KNOWN_VIOLATIONS);
    expect(show(unexpected)).toEqual([
      expect.stringMatching(/^sdk: alerts\/sdk\.ts -> @slack\/bolt /),
      expect.stringMatching(/^layer: analysis\/loop\.ts -> ingest\/reader\.ts \(analysis \(level 2\)/),
      expect.stringMatching(/^platform: chat\/slack\/cross\.ts -> chat\/discord\/render\.ts /),
      expect.stringMatching(/^outside: config\/load\.ts -> \.\.\/tests\/helpers\/tmp\.ts /),
      "unparsed: core/lazy.ts (import() of a computed specifier)",
      expect.stringMatching(/^layer: core\/lazy\.ts -> chat\/slack\/app\.ts /),
      expect.stringMatching(/^layer: core\/upward\.ts -> chat\/types\.ts /),
      expect.stringMatching(/^size: log\/long\.ts \(401 lines/),
      expect.stringMatching(/^unplaced: widgets\.ts /),
      "cycle: alerts <-> analysis <-> charts <-> chat <-> chat/discord <-> chat/slack <-> commands <-> config <-> core <-> ingest <-> store (folders import each other)",
    ]);
  });

  it("reports a known violation that was fixed, so the list can only shrink", () => {
    const src = join(tempDir("cyberbrief-arch-"), "src");
    cpSync(SRC, src, { recursive: true });
    const planted = "core/planted.ts -> chat/types.ts";
    const known = [...KNOWN_VIOLATIONS, planted];
    const plant = (specifier: string) =>
      writeFileSync(
        join(src, "core/planted.ts"),
        `// test file\nexport type { ChatAdapter } from "${specifier}";\n`,
      );
    plant("../chat/types.js");
    expect(compareWithKnown(checkArchitecture(src, known), known)).toEqual({ unexpected: [], gone: [] });
    plant("node:fs");
    expect(compareWithKnown(checkArchitecture(src, known), known)).toEqual({
      unexpected: [],
      gone: [planted],
    });
  });
});
