// Bundles the built CLI (dist/src, from tsc) into a few ES modules under dist/bundle/, so a command loads a
// handful of files instead of hundreds: `npm run build` runs it after tsc. Every `import()` stays lazy (each is
// its own chunk); the analysis worker is an entry of its own beside the chunks, where analysis-pool finds it.
//
// Only our code and the small pure-JS packages listed in BUNDLED go in. Every other package stays in
// node_modules and loads from there as before: native modules (better-sqlite3, @resvg/resvg-js), packages that
// read their own files by path (word-list's words.txt, pino's transport workers, thread-stream), the chat SDKs and
// feed parsers (loaded only by the bot that uses them), and any dependency added later until it is listed here.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "dist/bundle");

/** Packages compiled into the bundle, with whatever they import themselves. */
const BUNDLED = new Set(["commander", "zod", "pino", "yaml", "hono", "@hono/node-server"]);

/** "@scope/name/sub" -> "@scope/name"; "name/sub" -> "name". */
const packageName = (spec) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

const externalPackages = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      // Inside a bundled package, its own dependencies come along.
      if (args.importer.includes("/node_modules/")) return undefined;
      return BUNDLED.has(packageName(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { cyberbrief: "dist/src/cli/bin.js", "analysis-worker": "dist/src/ingest/analysis-worker.js" },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunk-[hash]",
  // Maps back to dist/src and, through its own maps, to src/ (node --enable-source-maps).
  sourcemap: "linked",
  // Bundled CommonJS (commander, yaml) calls require() for Node's own modules: give each chunk one.
  banner: {
    js: 'import { createRequire as __cbCreateRequire } from "node:module";\nconst require = __cbCreateRequire(import.meta.url);',
  },
  plugins: [externalPackages],
  logLevel: "warning",
});
