// `cyberbrief export` through the built CLI: JSON lines with analyze's tag shapes, --since, bad input, beside a
// running bot, and a reader that closes the pipe early.

import { spawn } from "node:child_process";
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { analysisOf } from "../helpers/analysis.js";
import { paragraphArticle } from "../helpers/article.js";
import { BIN, cliEnv, runCli, startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/tmp.js";
import { tempWorkspace } from "../helpers/workspace.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/articles");

/** Every line of an export, parsed; the output is JSON lines ending with a newline. */
function parseLines(stdout: string): Array<Record<string, unknown>> {
  if (stdout === "") return [];
  expect(stdout.endsWith("\n")).toBe(true);
  return stdout
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("cyberbrief export", () => {
  it("prints every stored story once, with the tags `analyze --json` gives the same file", async () => {
    const { seeds, db } = tempWorkspace();
    for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(seeds, f));
    expect((await runCli(["ingest", "--seeds", seeds, "--db", db])).code).toBe(0);
    const stored = JSON.parse((await runCli(["status", "--db", db, "--json"])).stdout).stories as number;
    const res = await runCli(["export", "--db", db, "--seeds", seeds]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("");
    const events = parseLines(res.stdout);
    expect(events).toHaveLength(stored);
    expect(new Set(events.map((e) => e.id)).size).toBe(stored);
    const dates = events.map((e) => e.date as string);
    expect(dates).toEqual([...dates].sort());

    const files = readdirSync(seeds).map((f) => join(seeds, f));
    const analyzed = JSON.parse((await runCli(["analyze", ...files, "--json"])).stdout) as Array<
      Record<string, unknown>
    >;
    for (const event of events) {
      const sources = event.sources as Array<Record<string, unknown>>;
      expect(sources).toHaveLength(1);
      expect(Object.keys(sources[0] ?? {})).toEqual(["path", "url", "source", "date"]);
      const a = analyzed.find((r) => r.file === sources[0]?.path);
      expect(a, `analyze output for ${sources[0]?.path}`).toBeDefined();
      // The store keeps the cyber signal, not the offsets of its words; sectors and malware with their evidence.
      const { file: _file, cyberEvidence: _evidence, ...fields } = a ?? {};
      expect(event).toMatchObject(fields);
      expect(event.actors).toEqual(a?.actors);
      expect(event.countries).toEqual(a?.countries);
      expect(event.sectors).toEqual(a?.sectors);
      expect(event.malware).toEqual(a?.malware);
      // analyze --json names no CVE ids (yet): the export's are the story's, upper-case.
      for (const id of event.cves as string[]) expect(id).toMatch(/^CVE-\d{4}-\d{4,}$/);
      expect(Object.keys(event)).toEqual([
        ...["id", "title", "date", "dateEstimated", "summary", "revision", "ingestedAt", "updatedAt"],
        ...["cyber", "sources", "actors", "countries", "sectors", "malware", "cves"],
      ]);
    }
    expect(events.some((e) => (e.actors as unknown[]).length > 0)).toBe(true);
    expect(events.some((e) => (e.sectors as unknown[]).length > 0)).toBe(true);
  });

  it("--since keeps stories dated on that day or later", async () => {
    const { seeds, db } = tempWorkspace((dir) => {
      // Three different events (one story each: the same words on three days would be one event).
      const stories = {
        "24": "Volt Typhoon scanned water utilities in Guam.",
        "25": "Sandworm wiped servers at a Ukrainian telecom.",
        "26": "APT40 phished parliamentary staff in Wellington.",
      };
      for (const [day, text] of Object.entries(stories))
        writeFileSync(join(dir, `${day}.txt`), `date 2024-03-${day}\n${text}\n`);
    });
    await runCli(["ingest", "--seeds", seeds, "--db", db]);
    const days = async (...args: string[]) =>
      parseLines((await runCli(["export", "--db", db, ...args])).stdout).map((e) => e.date);
    expect(await days()).toEqual(["2024-03-24", "2024-03-25", "2024-03-26"]);
    expect(await days("--since", "2024-03-25")).toEqual(["2024-03-25", "2024-03-26"]);
    expect(await days("--since=2024-03-26")).toEqual(["2024-03-26"]);
    expect(await days("--since", "2024-03-27")).toEqual([]);
  });

  it("a bad --since, a missing database or a file that is not one is one line and exit code 2", async () => {
    const { seeds, db } = tempWorkspace();
    await runCli(["ingest", "--seeds", seeds, "--db", db]);
    for (const bad of ["2024-02-30", "2023-02-29", "2024-3-5", "yesterday", ""]) {
      const res = await runCli(["export", "--db", db, "--since", bad]);
      expect(res.code, bad).toBe(2);
      expect(res.stdout).toBe("");
      expect(res.stderr).toBe(
        `cyberbrief: --since ${JSON.stringify(bad)} is not a calendar day; give it as YYYY-MM-DD, e.g. --since 2024-03-25\n`,
      );
    }
    expect((await runCli(["export", "--db", db, "--since", "2024-02-29"])).code).toBe(0);
    const missing = join(tempDir(), "nope.db");
    const res = await runCli(["export", "--db", missing]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toBe((await runCli(["status", "--db", missing])).stderr);
    const notDb = join(tempDir(), "notes.db");
    writeFileSync(notDb, "these are my notes, not a database\n".repeat(200));
    const wrong = await runCli(["export", "--db", notDb]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      `cyberbrief: ${notDb} is not a cyberbrief database (not an SQLite file); point --db or CYBERBRIEF_DB at the right file\n`,
    );
  });

  it("works beside a running bot and sees what it stores", async () => {
    const { seeds, db } = tempWorkspace();
    const bot = startCli(["run", "--seeds", seeds, "--db", db], { env: { LOG_LEVEL: "warn" } });
    try {
      await waitFor(
        () => bot.out.stdout.includes("Australia and New Zealand have joined forces"),
        15_000,
        "the seed story",
      );
      const first = await runCli(["export", "--db", db]);
      expect(first.code).toBe(0);
      expect(parseLines(first.stdout)).toHaveLength(1);
      writeFileSync(
        join(seeds, "new.txt"),
        "date 2024-06-01 Volt Typhoon hackers breached a Guam utility.\n",
      );
      await waitFor(() => bot.out.stdout.includes("Volt Typhoon hackers breached"), 15_000, "the new story");
      const second = parseLines((await runCli(["export", "--db", db])).stdout);
      expect(second.map((e) => e.date)).toEqual(["2024-03-25", "2024-06-01"]);
      expect(bot.child.exitCode).toBeNull();
    } finally {
      bot.child.kill("SIGTERM");
      await bot.exited;
    }
  });

  it("ends quietly with exit code 0 when the reader closes the pipe early (| head -1)", async () => {
    const db = join(tempDir(), "big.db");
    const store = new SqliteStoryStore(db);
    const filler = "Filler sentence about nothing in particular. ".repeat(40);
    const articles: Article[] = Array.from({ length: 2000 }, (_, i) => {
      const body = `Story ${i}. ${filler}`;
      const p = `/s/${i}.txt`;
      return paragraphArticle(p, body, { title: `Story ${i}`, contentHash: `h${i}` });
    });
    const analysis = analysisOf({ summary: filler });
    await store.saveArticles(
      articles.map((article) => ({ article, analysis, file: { path: article.path, size: 1, mtimeMs: 1 } })),
    );
    await store.close();

    // About 4 MB of output: far more than a pipe holds, so the exporter is still writing when the reader leaves.
    const child = spawn(process.execPath, [BIN, "export", "--db", db], { cwd: tempDir(), env: cliEnv() });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    let first = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d) => {
        first += String(d);
        if (first.includes("\n")) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    expect(JSON.parse(first.slice(0, first.indexOf("\n")))).toMatchObject({ title: "Story 0" });
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });
});
