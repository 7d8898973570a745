// The architecture check: reads every src/**/*.ts with the TypeScript parser and reports broken layer rules.

import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import ts from "typescript";

/**
 * Layers, lowest first. A file may import its own folder or a folder on a LOWER level, never one on its own
 * level or above. `chat` is `src/chat/types.ts` (the adapter seam); each `chat/<platform>/` sits one level up.
 * `ops` (health, metrics) reads chat adapters and alert health, so it sits with the platform folders.
 * `main.ts` (and `main/`) is the composition root; the CLI is the entry point that calls it, so it is the top.
 */
export const LAYERS: Readonly<Record<string, number>> = {
  core: 0,
  config: 1,
  charts: 1,
  log: 1,
  analysis: 2,
  ingest: 3,
  feeds: 3,
  store: 3,
  commands: 4,
  alerts: 4,
  chat: 5,
  web: 5,
  "chat/console": 6,
  "chat/discord": 6,
  "chat/slack": 6,
  ops: 6,
  main: 7,
  cli: 8,
};

/** Platform SDKs: the package pattern and the one folder allowed to import it. */
export const SDKS: ReadonlyArray<{ pattern: RegExp; folder: string }> = [
  { pattern: /^@slack\//, folder: "chat/slack" },
  { pattern: /^(discord\.js|@discordjs\/)/, folder: "chat/discord" },
];

export const MAX_LINES = 400;

export type Rule = "layer" | "platform" | "sdk" | "cycle" | "size" | "unplaced" | "outside" | "unparsed";
export interface Violation {
  rule: Rule;
  /** "from -> to" (src-relative files) for import rules, the folder cycle or the file otherwise. */
  key: string;
  detail: string;
}

export interface SourceFile {
  path: string; // relative to the src folder, with "/"
  lines: number;
  imports: string[]; // module specifiers as written
  computed: number; // dynamic import() calls whose specifier is not a string literal
}

/** Every module specifier a file names: import/export declarations (type-only too), import(), import("x").T. */
export function importsOf(fileName: string, text: string): { specifiers: string[]; computed: number } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  let computed = 0;
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const ref = node.moduleReference.expression;
      if (ts.isStringLiteral(ref)) specifiers.push(ref.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) specifiers.push(arg.text);
      else computed++;
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) specifiers.push(lit.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { specifiers, computed };
}

/** Reads the .ts files under `srcDir`. */
export function readSources(srcDir: string): SourceFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
      );
  return walk(srcDir).map((file) => {
    const text = readFileSync(file, "utf8");
    const { specifiers, computed } = importsOf(file, text);
    return {
      path: relative(srcDir, file).replaceAll("\\", "/"),
      lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0),
      imports: specifiers,
      computed,
    };
  });
}

/** The layer folder of a src-relative file: "store", "chat" (chat/types.ts), "chat/slack", "main". */
export function folderOf(path: string): string {
  const parts = path.split("/");
  if (parts.length === 1) return (parts[0] as string).replace(/\.ts$/, "");
  if (parts[0] === "chat" && parts.length > 2) return `chat/${parts[1]}`;
  return parts[0] as string;
}

/** A relative specifier as a src-relative .ts path ("../store/types.js" from "core/cards.ts" → "store/types.ts"). */
function target(from: string, specifier: string): string {
  const path = posix.relative("/src", posix.join("/src", posix.dirname(from), specifier));
  return path.replace(/\.js$/, ".ts");
}

/** Folder cycles (strongly connected components of more than one folder), each sorted, in sorted order. */
export function folderCycles(edges: ReadonlyArray<[string, string]>): string[][] {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (!next.has(a)) next.set(a, new Set());
    if (!next.has(b)) next.set(b, new Set());
    next.get(a)?.add(b);
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (;;) {
      const w = stack.pop() as string;
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v);
  return cycles.sort((a, b) => a.join().localeCompare(b.join()));
}

/**
 * Checks the src folder at `srcDir`. Imports listed in `allowed` ("from -> to") are still reported (so a caller
 * can tell which allowed ones remain) but are left out of the folder graph the cycle check walks.
 */
export function checkArchitecture(srcDir: string, allowed: Iterable<string> = []): Violation[] {
  const allow = new Set(allowed);
  const files = readSources(srcDir);
  const violations: Violation[] = [];
  const edges: Array<[string, string]> = [];
  for (const file of files) {
    const from = folderOf(file.path);
    const level = LAYERS[from];
    if (level === undefined)
      violations.push({ rule: "unplaced", key: file.path, detail: `folder "${from}" has no layer` });
    if (file.lines > MAX_LINES)
      violations.push({ rule: "size", key: file.path, detail: `${file.lines} lines (cap ${MAX_LINES})` });
    if (file.computed > 0)
      violations.push({ rule: "unparsed", key: file.path, detail: "import() of a computed specifier" });
    for (const specifier of file.imports) {
      if (!specifier.startsWith(".")) {
        const sdk = SDKS.find((s) => s.pattern.test(specifier));
        if (sdk && from !== sdk.folder)
          violations.push({
            rule: "sdk",
            key: `${file.path} -> ${specifier}`,
            detail: `${specifier} only under src/${sdk.folder}/`,
          });
        continue;
      }
      const to = target(file.path, specifier);
      const key = `${file.path} -> ${to}`;
      if (to.startsWith("../")) {
        violations.push({ rule: "outside", key, detail: "src imports a file outside src/" });
        continue;
      }
      const toFolder = folderOf(to);
      if (toFolder === from) continue;
      if (!allow.has(key)) edges.push([from, toFolder]);
      const toLevel = LAYERS[toFolder];
      if (from.startsWith("chat/") && toFolder.startsWith("chat/"))
        violations.push({ rule: "platform", key, detail: `${from} imports another platform, ${toFolder}` });
      else if (level !== undefined && toLevel !== undefined && toLevel >= level)
        violations.push({
          rule: "layer",
          key,
          detail: `${from} (level ${level}) imports ${toFolder} (level ${toLevel})`,
        });
    }
  }
  for (const cycle of folderCycles(edges))
    violations.push({ rule: "cycle", key: cycle.join(" <-> "), detail: `folders import each other` });
  return violations;
}

/** Splits found violations against a list of allowed "from -> to" keys: new ones, and listed ones now gone. */
export function compareWithKnown(
  found: readonly Violation[],
  known: readonly string[],
): { unexpected: Violation[]; gone: string[] } {
  const keys = new Set(found.map((v) => v.key));
  return {
    unexpected: found.filter((v) => !known.includes(v.key)),
    gone: known.filter((k) => !keys.has(k)),
  };
}
