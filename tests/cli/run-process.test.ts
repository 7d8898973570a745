// `cyberbrief run` as a process: one bot per database (a second is refused, a SIGKILLed one leaves no stale
// lock), the one-shot commands beside a running bot, and SIGHUP stopping it as cleanly as SIGTERM.

import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockDatabase } from "../../src/store/sqlite/lock.js";
import { runCli, startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/tmp.js";
import { tempWorkspace } from "../helpers/workspace.js";

/** A bot on the console with JSON logs; resolves once it says it is running and the first scan is stored. */
async function startBot(seeds: string, db: string) {
  const bot = startCli(["run", "--seeds", seeds, "--db", db], { env: { LOG_LEVEL: "info" } });
  await waitFor(() => bot.out.stderr.includes("cyberbrief is running"), 15_000, "the bot to start");
  await waitFor(
    () => bot.out.stdout.includes("Australia and New Zealand have joined forces"),
    15_000,
    "the seed story",
  );
  return bot;
}

describe("the database lock", () => {
  it("refuses a second holder with the first one's pid and host, and lets the next in after release", () => {
    const db = join(tempDir(), "sub", "store.db");
    const first = lockDatabase(db, "cyberbrief run");
    expect(() => lockDatabase(db, "cyberbrief run")).toThrow(
      `the database ${db} is in use by \`cyberbrief run\` (pid ${process.pid} on host ${hostname()}, since ${first.owner.startedAt})`,
    );
    first.release();
    first.release();
    const next = lockDatabase(db, "cyberbrief ingest");
    next.release();
  });
});

describe("one bot per database", () => {
  it("a second `run` is refused in one line naming the database and the first process; the first goes on", async () => {
    const { seeds, db } = tempWorkspace();
    const first = await startBot(seeds, db);
    try {
      const second = await runCli(["run", "--seeds", seeds, "--db", db], { env: { LOG_LEVEL: "info" } });
      expect(second.code).toBe(2);
      const lines = second.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`the database ${db} is in use by \`cyberbrief run\``);
      expect(lines[0]).toContain(`pid ${first.child.pid} on host ${hostname()}`);
      expect(second.stdout).toBe("");

      // Ingest would race the bot's own scans: refused the same way. Reading and backing up work beside it.
      const ingest = await runCli(["ingest", "--seeds", seeds, "--db", db]);
      expect(ingest.code).toBe(2);
      expect(ingest.stderr).toContain(`pid ${first.child.pid}`);
      const status = await runCli(["status", "--db", db, "--json"]);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ stories: 1 });
      const ask = await runCli(["ask", "/cyber apt40", "--db", db]);
      expect(ask.code).toBe(0);
      expect(ask.stdout).toContain("APT40");
      const backup = await runCli(["backup", join(seeds, "..", "copy.db"), "--db", db]);
      expect(backup.code).toBe(0);

      // The first bot was left alone: still running and still picking up new files.
      expect(first.child.exitCode).toBeNull();
      writeFileSync(
        join(seeds, "new.txt"),
        "date 2024-06-01 Volt Typhoon hackers breached a Guam water utility, officials said.\n",
      );
      await waitFor(() => first.out.stdout.includes("Volt Typhoon hackers breached"), 10_000, "new story");
    } finally {
      first.child.kill("SIGTERM");
    }
    expect(await first.exited).toBe(0);
  }, 60_000);

  it("a SIGKILLed bot leaves no lock behind: the next `run` starts at once", async () => {
    const { seeds, db } = tempWorkspace();
    const killed = await startBot(seeds, db);
    killed.child.kill("SIGKILL");
    await killed.exited;
    const next = await startBot(seeds, db);
    next.child.kill("SIGTERM");
    expect(await next.exited).toBe(0);
    expect(next.out.stderr).not.toContain("in use by");
  }, 60_000);
});

describe("SIGHUP", () => {
  it("stops the bot in the same order as SIGTERM: exit 0, database closed, no -wal or -shm left", async () => {
    const { dir, seeds, db } = tempWorkspace();
    const bot = await startBot(seeds, db);
    expect(existsSync(`${db}-wal`)).toBe(true); // open in WAL mode while it runs
    bot.child.kill("SIGHUP");
    expect(await bot.exited).toBe(0);
    expect(bot.out.stderr).toContain('"why":"SIGHUP"');
    expect(readdirSync(dir).filter((f) => f.endsWith("-wal") || f.endsWith("-shm"))).toEqual([]);
    // The lock went with it.
    const after = await runCli(["ingest", "--seeds", seeds, "--db", db, "--json"]);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ new: 0, unchanged: 1 });
  }, 60_000);
});
