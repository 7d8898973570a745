// Commands load only what they use: no chat SDK and no feed parser for one-shot commands or a console bot.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/tmp.js";
import { SEED_STORY, tempWorkspace } from "../helpers/workspace.js";

/** Packages only a Slack or Discord bot, or a feed poll, needs. */
const NOT_NEEDED = ["discord.js", "@discordjs", "@slack", "feedsmith", "linkedom", "@mozilla/readability"];

/** NODE_OPTIONS that make the CLI write every module URL it loads (ESM loader hook) to a file. */
function recorder(): { env: Record<string, string>; loaded: () => string[] } {
  const dir = tempDir("cyberbrief-loads-");
  const log = join(dir, "loaded.txt");
  writeFileSync(log, "");
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + "\\n");
  return next(url, context);
}
`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(register).href}` },
    loaded: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
  };
}

const unneeded = (urls: string[]): string[] =>
  urls.filter((u) => NOT_NEEDED.some((p) => u.includes(`/node_modules/${p}/`)));

describe("what a command loads", () => {
  it("ask, status and analyze load no chat SDK and no feed parser", async () => {
    const { seeds, db } = tempWorkspace();
    expect((await runCli(["ingest", "--seeds", seeds, "--db", db])).code).toBe(0);
    for (const args of [
      ["ask", "/cyber apt40", "--db", db],
      ["status", "--db", db, "--seeds", seeds],
      ["analyze", SEED_STORY],
    ]) {
      const rec = recorder();
      const res = await runCli(args, { env: rec.env });
      expect(res.code, `${args[0]}: ${res.stderr}`).toBe(0);
      const urls = rec.loaded();
      expect(urls.some((u) => u.endsWith("/dist/bundle/cyberbrief.js"))).toBe(true);
      expect(unneeded(urls), args[0]).toEqual([]);
    }
  });

  it("a console bot with no feed loads no chat SDK and no feed parser", async () => {
    const { seeds, db } = tempWorkspace();
    const rec = recorder();
    const bot = startCli(["run", "--seeds", seeds, "--db", db], { env: { LOG_LEVEL: "warn", ...rec.env } });
    try {
      await waitFor(
        () => bot.out.stdout.includes("Australia and New Zealand have joined forces"),
        10_000,
        "the seed story",
      );
    } finally {
      bot.child.kill("SIGTERM");
    }
    expect(await bot.exited).toBe(0);
    expect(unneeded(rec.loaded())).toEqual([]);
  });
});
