// The built CLI on PostgreSQL: the database URL checked in one line, the one-shot commands against a PostgreSQL
// store, and three `cyberbrief run` replicas on one database: one leader scans, every console alert is printed
// by exactly one replica, and a new leader takes over within 15 s of a kill -9.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { describePg, freshDatabase } from "../helpers/pg.js";
import { waitFor } from "../helpers/tmp.js";
import { tempWorkspace } from "../helpers/workspace.js";

describe("the database URL", () => {
  it("a URL of another scheme is refused with one problem line, exit 2, its password never shown", async () => {
    for (const args of [
      ["status", "--database-url", "mysql://admin:hunter2-secret@db.example:3306/cb"],
      ["ask", "/cyber apt40", "--database-url", "db.example/cb"],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      // The configuration errors' own form: a heading, then one line per problem.
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain("--database-url: expected a PostgreSQL URL");
      expect(r.stderr).not.toContain("hunter2");
      expect(r.stdout).toBe("");
    }
    const env = await runCli(["status"], {
      env: { CYBERBRIEF_DATABASE_URL: "http://admin:hunter2-secret@db.example/cb" },
    });
    expect(env.code).toBe(2);
    expect(env.stderr.trim().split("\n")).toEqual([
      "cyberbrief: Invalid configuration:",
      "  - CYBERBRIEF_DATABASE_URL: expected a PostgreSQL URL such as postgres://user:password@host:5432/cyberbrief (postgres:// or postgresql://), got http://...",
    ]);
  });
});

/** Articles with nothing in common but being cyber stories: each its own event, so each its own alert. */
const ARTICLES = [
  ["shipbuilder", "APT40 hackers stole defence files from an Australian shipbuilder, investigators said."],
  ["utility", "Volt Typhoon operators breached a Guam water utility, officials said."],
  ["Ukrainian", "Sandworm malware wiped computers at a Ukrainian power company, researchers said."],
  ["exchange", "Lazarus Group thieves drained a Japanese cryptocurrency exchange, police said."],
] as const;
const LATE = ["nuclear", "Kimsuky operatives sent spear-phishing emails to South Korean nuclear engineers."];

const write = (seeds: string, name: string, day: number, text: string) =>
  writeFileSync(join(seeds, `${name}.txt`), `date 2024-06-${String(day).padStart(2, "0")}\n${text}\n`);

describePg("the CLI on PostgreSQL", () => {
  it("ingest, status, ask and backup work against the database; status names it without the password", async () => {
    const url = await freshDatabase();
    const { seeds } = tempWorkspace();
    const ingest = await runCli(["ingest", "--seeds", seeds, "--database-url", url]);
    expect(ingest.stderr).toBe("");
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/^1 new, 0 updated/);
    const password = new URL(url).password;
    const status = await runCli(["status", "--json"], { env: { CYBERBRIEF_DATABASE_URL: url } });
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout);
    expect(json).toMatchObject({ backend: "postgresql", stories: 1, files: 1 });
    expect(json.leaders).toEqual([expect.objectContaining({ role: "scheduler", term: 1, held: false })]);
    const text = await runCli(["status", "--database-url", url]);
    expect(text.stdout).toContain(`Database: PostgreSQL ${new URL(url).host}${new URL(url).pathname}`);
    expect(text.stdout).toMatch(/Leader: {3}scheduler held by none now: the last was .+ \(term 1, since /);
    if (password) expect(`${status.stdout}${text.stdout}`).not.toContain(password);
    const ask = await runCli(["ask", "/cyber apt40", "--database-url", url]);
    expect(ask.code).toBe(0);
    expect(ask.stdout).toContain("APT40");
    const backup = await runCli(["backup", "copy.db", "--database-url", url]);
    expect(backup.code).toBe(2);
    expect(backup.stderr.trim().split("\n")).toHaveLength(1);
    expect(backup.stderr).toContain("use pg_dump");
  }, 60_000);

  it("three replicas: one leader scans, each alert printed once, a new leader within 15 s of a kill -9", async () => {
    const url = await freshDatabase();
    const { seeds } = tempWorkspace(() => undefined);
    const env = { CYBERBRIEF_DATABASE_URL: url, LOG_LEVEL: "info", CYBERBRIEF_FLOOD_THRESHOLD: "100" };
    const sub = await runCli(["ask", "/cyber subscribe all"], { env });
    expect(sub.code).toBe(0);
    const replicas = [0, 1, 2].map(() => startCli(["run", "--seeds", seeds], { env }));
    for (const r of replicas)
      await waitFor(() => r.out.stderr.includes("cyberbrief is running"), 30_000, "start");
    const leaders = () => replicas.filter((r) => r.out.stderr.includes("scheduler: scanning"));
    await waitFor(() => leaders().length === 1, 15_000, "a scheduler leader");

    for (const [i, [name, text]] of ARTICLES.entries()) write(seeds, name, i + 1, text);
    const stats = async () => JSON.parse((await runCli(["status", "--json"], { env })).stdout);
    await waitFor(
      async () => {
        const s = await stats();
        return s.stories === ARTICLES.length && s.outbox.sent === ARTICLES.length && s.outbox.pending === 0;
      },
      30_000,
      "every story stored and alerted",
    );
    for (const [marker] of ARTICLES) {
      // Printed by exactly one replica, and once there.
      const printers = replicas.filter((r) => r.out.stdout.includes(marker));
      expect(printers).toHaveLength(1);
    }
    const stored = replicas.map((r) => r.out.stderr.split("stored new story").length - 1);
    expect(stored.filter((n) => n > 0)).toEqual([ARTICLES.length]);
    expect(leaders()).toHaveLength(1);

    const [old] = leaders();
    const shown = await runCli(["status"], { env });
    expect(shown.stdout).toMatch(
      new RegExp(`Leader: {3}scheduler on .+:${old?.child.pid} \\(term 1, since `),
    );
    old?.child.kill("SIGKILL");
    await old?.exited;
    const killedAt = Date.now();
    const survivors = replicas.filter((r) => r !== old);
    // The takeover is timed by the new leader's own log line (its clock is this machine's), not by how long the
    // status commands polling for the next story take to start on a loaded machine.
    const tookOver = () =>
      survivors
        .flatMap((r) => r.out.stderr.split("\n"))
        .filter((line) => line.includes("scheduler: scanning"))
        .map((line) => JSON.parse(line).time as number)[0];
    const since = (await waitFor(tookOver, 15_000, "a new leader")) - killedAt;
    expect(since).toBeLessThan(15_000);
    write(seeds, LATE[0] as string, 9, LATE[1] as string);
    await waitFor(
      async () => (await stats()).stories === ARTICLES.length + 1,
      15_000,
      "the new leader's scan",
    );
    await waitFor(() => survivors.some((r) => r.out.stdout.includes(LATE[0] as string)), 15_000, "alert");
    expect(survivors.filter((r) => r.out.stdout.includes(LATE[0] as string))).toHaveLength(1);
    for (const r of survivors) r.child.kill("SIGTERM");
    for (const r of survivors) expect(await r.exited).toBe(0);
  }, 120_000);
});
