// Every expected failure of the CLI is one line that says what is wrong and what to do, with exit code 2; only
// a real bug says "unexpected error", with an id, and shows its stack only when debug output is asked for.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeFailure } from "../../src/cli/failure.js";
import { runCli } from "../helpers/cli.js";
import { tempWorkspace } from "../helpers/workspace.js";

/** Exit 2, nothing on stdout, and exactly one line on stderr, which is returned. */
function oneLine(res: { code: number; stdout: string; stderr: string }): string {
  expect(res.code, res.stderr).toBe(2);
  expect(res.stdout).toBe("");
  const lines = res.stderr.trimEnd().split("\n");
  expect(lines, res.stderr).toHaveLength(1);
  expect(res.stderr).not.toMatch(/unexpected error|Error:|\n\s+at /);
  return lines[0] as string;
}

describe("one line for each expected failure", () => {
  it("an unknown command is named as one, not as an argument to `run`", async () => {
    const line = oneLine(await runCli(["frobnicate"]));
    expect(line).toContain("unknown command 'frobnicate'");
    expect(line).toContain("ingest, status");
    expect(oneLine(await runCli(["--db", "x.db", "statsu"]))).toContain("unknown command 'statsu'");
    expect(oneLine(await runCli(["status", "--bogus"]))).toContain("unknown option '--bogus'");
    expect(oneLine(await runCli(["analyze"]))).toContain("missing required argument");
  });

  it("backup into a folder that does not exist says so", async () => {
    const { dir, seeds, db } = tempWorkspace();
    expect((await runCli(["ingest", "--seeds", seeds, "--db", db])).code).toBe(0);
    const target = join(dir, "nodir", "copy.db");
    expect(oneLine(await runCli(["backup", target, "--db", db]))).toBe(
      `cyberbrief: the folder ${join(dir, "nodir")} for the copy does not exist; create it first or choose another place`,
    );
  });

  it("a --db that is not an SQLite file is named as such, by every command", async () => {
    const { dir, seeds } = tempWorkspace();
    const notDb = join(dir, "notes.db");
    writeFileSync(notDb, "these are my notes, not a database\n".repeat(200));
    const expected = `cyberbrief: ${notDb} is not a cyberbrief database`;
    for (const args of [
      ["status"],
      ["ask", "/cyber apt40"],
      ["ingest", "--seeds", seeds],
      ["backup", join(dir, "copy.db")],
      ["run", "--seeds", seeds],
    ]) {
      expect(oneLine(await runCli([...args, "--db", notDb]))).toContain(expected);
    }
  });

  it("ask and status refuse a database that does not exist instead of creating an empty one", async () => {
    const { dir } = tempWorkspace();
    const typo = join(dir, "stroe.db");
    const message = `cyberbrief: no database at ${typo}; run \`cyberbrief ingest\` or \`cyberbrief run\` first`;
    expect(oneLine(await runCli(["status", "--db", typo]))).toContain(message);
    expect(oneLine(await runCli(["ask", "/cyber apt40", "--db", typo, "--json"]))).toContain(message);
    expect(existsSync(typo)).toBe(false);
  });

  it("invalid settings: exit 2 and one message listing each variable to fix", async () => {
    const res = await runCli(["status"], {
      env: {
        CYBERBRIEF_SCAN_CRON: "61 * * * *",
        CYBERBRIEF_WATCH: "maybe",
        LOG_LEVEL: "loud",
        CYBERBRIEF_TZ: "Mars/Olympus",
      },
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^cyberbrief: Invalid configuration:\n/);
    for (const name of ["CYBERBRIEF_SCAN_CRON", "CYBERBRIEF_WATCH", "LOG_LEVEL", "CYBERBRIEF_TZ"])
      expect(res.stderr).toContain(`  - ${name}: `);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it("LOG_LEVEL from a .env file counts as asked for, like the environment", async () => {
    const { dir, seeds, db } = tempWorkspace();
    writeFileSync(join(dir, ".env"), "LOG_LEVEL=debug\n");
    const res = await runCli(["ingest", "--seeds", seeds, "--db", db], { cwd: dir });
    expect(res.code).toBe(0);
    // An info line: one-shot commands log only warnings unless a level is asked for.
    expect(res.stderr).toContain('"msg":"stored new story"');
  });

  it("status shows rejected files relative to the folder scanned, with control characters escaped", async () => {
    const { dir, seeds, db } = tempWorkspace();
    mkdirSync(join(seeds, "bad"));
    writeFileSync(join(seeds, "bad", "\u001b[31mansi\u0007.txt"), Buffer.from([0x41, 0xff, 0xfe]));
    expect((await runCli(["ingest", "--seeds", seeds, "--db", db])).code).toBe(0);
    const elsewhere = join(dir, "elsewhere", "deeper");
    mkdirSync(elsewhere, { recursive: true });
    // No --seeds: the default seeds folder (under the working folder) is not where the files were scanned.
    const res = await runCli(["status", "--db", db], { cwd: elsewhere });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Rejected files (in ${seeds}):`);
    expect(res.stdout).toContain("  bad/\\x1b[31mansi\\x07.txt: invalid-utf8");
    expect(res.stdout).not.toContain("../");
    const controls = [...res.stdout].filter((c) => (c < " " && c !== "\n") || c === "\u007f");
    expect(controls).toEqual([]);
  });
});

describe("real bugs", () => {
  it("say 'unexpected error' with an id; the stack only at debug level", () => {
    const bug = new TypeError("cannot read properties of undefined (reading 'x')");
    const quiet = describeFailure(bug, false);
    expect(quiet.exitCode).toBe(1);
    expect(quiet.text).toMatch(
      /^cyberbrief: unexpected error [0-9a-f]{8}: TypeError: cannot read properties .*please report it with this id \(LOG_LEVEL=debug shows the details\)\n$/,
    );
    const debug = describeFailure(bug, true);
    expect(debug.text).toContain(bug.stack as string);
    expect(describeFailure(bug, false).text).not.toBe(quiet.text); // a fresh id each time
  });
});
