import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../../src/analysis/index.js";
import { ConsoleAdapter } from "../../../src/chat/console/adapter.js";
import type { CommandHandler } from "../../../src/chat/types.js";
import { loadConfig } from "../../../src/config/load.js";
import { storyCard } from "../../../src/core/cards.js";
import { IngestEngine } from "../../../src/ingest/engine.js";
import { silentLogger } from "../../../src/log/logger.js";
import { runBot } from "../../../src/main.js";
import { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import { consoleIO } from "../../helpers/console-io.js";
import { gazetteer, useFilledStore } from "../../helpers/filled-store.js";
import { tempDir, waitFor } from "../../helpers/tmp.js";

let handler: CommandHandler;
let store: SqliteStoryStore;
useFilledStore((filled) => ({ handler, store } = filled));

/** A console adapter without a terminal, started, and the latest stored story. */
async function quietConsole() {
  const io = consoleIO();
  const adapter = new ConsoleAdapter({
    input: io.input,
    output: io.output,
    log: silentLogger(),
    interactive: false,
  });
  await adapter.start(handler);
  const story = (await store.latest(1)).stories[0];
  if (!story) throw new Error("no story");
  return { io, adapter, story };
}

describe("console adapter", () => {
  it("answers /cyber lines typed at the prompt, and bare words too", async () => {
    const io = consoleIO();
    const adapter = new ConsoleAdapter({
      input: io.input,
      output: io.output,
      log: silentLogger(),
      interactive: true,
    });
    await adapter.start(handler);
    expect(io.read()).toContain("cyber> ");
    io.input.write("/cyber kryptonite panda\n");
    await waitFor(() => io.read().includes("== APT40: 2 stories"), 5000, "the APT40 card");
    io.input.write("help\n");
    await waitFor(() => io.read().includes("/cyber subscribe <tag>"), 5000, "help");
    io.input.write("/cyber story zz\n");
    await waitFor(() => io.read().includes("`story` takes a story id"), 5000, "usage help");
    await adapter.stop();
  });

  it("Ctrl-D (end of input) and quit end the session", async () => {
    const io = consoleIO();
    let quits = 0;
    const adapter = new ConsoleAdapter({
      input: io.input,
      output: io.output,
      log: silentLogger(),
      interactive: true,
      onQuit: () => {
        quits++;
      },
    });
    await adapter.start(handler);
    io.input.end();
    await waitFor(() => quits === 1, 2000, "quit");
    await adapter.stop();
  });

  it("without a terminal it shows no prompt but still prints alerts", async () => {
    const { io, adapter, story } = await quietConsole();
    const sent = await adapter.deliver("console:local", {
      kind: "alert",
      alert: { story: storyCard(story), reason: "subscribed to all" },
    });
    expect(sent.messageId).toBe("console-1");
    expect(io.read()).not.toContain("cyber> ");
    expect(io.read()).toContain(">> New story (subscribed to all)");
    expect(io.read()).toContain(`[${story.id}] ${story.date}  ${story.title}`);
    await adapter.stop();
  });

  it("prints stored text without its terminal escape sequences (a hostile title cannot rewrite the screen)", async () => {
    const { io, adapter, story } = await quietConsole();
    const title = "Clear \u001b[2J\u001b]0;pwned\u0007 screen \u009b31m red \u202eevil";
    await adapter.deliver("console:local", {
      kind: "alert",
      alert: {
        story: storyCard({ ...story, title, summary: `bell\u0007 ${story.summary}` }),
        reason: "subscribed to all",
      },
    });
    const out = io.read();
    expect(out).toContain("Clear [2J]0;pwned screen 31m red evil");
    const unsafe = [...out].filter((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return (c < 32 && c !== 9 && c !== 10) || (c >= 0x7f && c <= 0x9f) || c === 0x202e;
    });
    expect(unsafe).toEqual([]);
    await adapter.stop();
  });
});

describe("the greeting", () => {
  it("counts the stored stories in English: 1 story, not 1 stories", async () => {
    // A database holding one story, and an empty seeds folder so no scan adds more.
    const dir = tempDir();
    const [first, seeds] = [join(dir, "first"), join(dir, "seeds")];
    mkdirSync(first);
    mkdirSync(seeds);
    copyFileSync(
      join(import.meta.dirname, "../../../seeds/000_ab7ccafc986ab3a2.txt"),
      join(first, "seed.txt"),
    );
    const db = join(dir, "one.db");
    const one = new SqliteStoryStore(db);
    const analyse = createAnalyser(gazetteer);
    await new IngestEngine({
      store: one,
      analyse,
      log: silentLogger(),
      settleMs: 0,
      maxFileBytes: 1e6,
      seedsDir: first,
    }).scan(first);
    const story = (await one.latest(1)).stories[0];
    await one.close();
    const config = loadConfig({ env: { CYBERBRIEF_WATCH: "false" }, flags: { db, seeds } });
    const io = consoleIO();
    const bot = await runBot(config, silentLogger(), { input: io.input, output: io.output });
    try {
      await waitFor(() => io.read().includes("cyberbrief is running"), 5000, "the greeting");
      const said = io.read().replace(/\s+/g, " ");
      expect(said).toContain(`articles; 1 story stored in ${db}.`);
      expect(said).toContain(`Latest: [${story?.id}]`);
    } finally {
      await bot.stop();
    }
  });
});
