import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { waitFor } from "../helpers/tmp.js";
import { SEED_STORY, tempWorkspace } from "../helpers/workspace.js";

describe("cyberbrief CLI", () => {
  it("prints help", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const cmd of ["run", "ingest", "status", "analyze", "ask"]) expect(stdout).toContain(cmd);
  });

  it("ingest --json reports one new story, then none new", async () => {
    const { seeds, db } = tempWorkspace();
    const first = await runCli(["ingest", "--seeds", seeds, "--db", db, "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ new: 1, updated: 0, unchanged: 0, rejected: 0 });
    const second = await runCli(["ingest", "--seeds", seeds, "--db", db, "--json"]);
    expect(JSON.parse(second.stdout)).toMatchObject({ new: 0, unchanged: 1 });
  });

  it("takes the database and seeds folder from the environment too", async () => {
    const { seeds, db } = tempWorkspace();
    const res = await runCli(["ingest", "--json"], {
      env: { CYBERBRIEF_DB: db, CYBERBRIEF_SEEDS_DIR: seeds },
    });
    expect(JSON.parse(res.stdout)).toMatchObject({ new: 1, db, seeds });
  });

  it("reads a .env file in the working folder; real environment variables win over it", async () => {
    const { dir, seeds, db } = tempWorkspace();
    writeFileSync(
      join(dir, ".env"),
      `CYBERBRIEF_SEEDS_DIR=${seeds}\nCYBERBRIEF_DB=${join(dir, "from-dotenv.db")}\n`,
    );
    const fromFile = await runCli(["ingest", "--json"], { cwd: dir });
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ new: 1, db: join(dir, "from-dotenv.db") });
    const fromEnv = await runCli(["ingest", "--json"], { cwd: dir, env: { CYBERBRIEF_DB: db } });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ new: 1, db });
  });

  it("status lists rejected files with their reasons", async () => {
    const { seeds, db } = tempWorkspace();
    writeFileSync(join(seeds, "broken.txt"), Buffer.from([0x41, 0xff, 0xfe]));
    await runCli(["ingest", "--seeds", seeds, "--db", db]);
    const { code, stdout } = await runCli(["status", "--db", db, "--seeds", seeds]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Stories:\s+1/);
    expect(stdout).toContain("broken.txt: invalid-utf8");
    const json = JSON.parse((await runCli(["status", "--db", db, "--json"])).stdout);
    expect(json.rejections[0]).toMatchObject({ reason: "invalid-utf8" });
  });

  it("an invalid setting is one clear error naming the variable", async () => {
    const res = await runCli(["status"], { env: { LOG_LEVEL: "loud", CYBERBRIEF_SCAN_CRON: "" } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("LOG_LEVEL: expected one of");
  });

  it("a missing seeds folder or an unopenable database is a clear error, not a stack trace", async () => {
    const { dir, seeds, db } = tempWorkspace();
    const noSeeds = await runCli(["ingest", "--seeds", join(dir, "nope"), "--db", db]);
    expect(noSeeds.code).toBe(2);
    expect(noSeeds.stderr).toContain(`the seeds folder ${join(dir, "nope")} does not exist`);
    writeFileSync(join(dir, "afile"), "x");
    const badDb = await runCli(["ingest", "--seeds", seeds, "--db", join(dir, "afile", "x.db")]);
    expect(badDb.code).toBe(2);
    expect(badDb.stderr).toContain("cannot open the database");
    expect(badDb.stderr).not.toContain("    at ");
  });

  it("analyze --json prints the contract's shape for the seed", async () => {
    const { code, stdout } = await runCli(["analyze", SEED_STORY, "--json"]);
    expect(code).toBe(0);
    const [result] = JSON.parse(stdout);
    expect(result).toMatchObject({ file: SEED_STORY, date: "2024-03-25" });
    expect(result.actors.map((a: { id: string }) => a.id).sort()).toEqual(["APT31", "APT40"]);
    expect(result.actors[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: expect.any(String),
        attackId: expect.any(String),
        sponsor: "CN",
        matched: expect.any(Array),
      }),
    );
    const cn = result.countries.find((c: { code: string }) => c.code === "CN");
    expect(cn.roles).toContain("sponsor");
  });

  it("analyze --json lists malware with id, name and evidence; the report has a Malware line", async () => {
    const { dir } = tempWorkspace();
    const file = join(dir, "plugx.md");
    writeFileSync(
      file,
      "# PlugX again\n\ndate 2024-05-01\n\nChinese hackers used PlugX, also known as Korplug, and the LockBit ransomware.\n",
    );
    const json = await runCli(["analyze", file, "--json"]);
    expect(json.code).toBe(0);
    const [result] = JSON.parse(json.stdout);
    expect(result.malware.map((m: { id: string; name: string }) => [m.id, m.name])).toEqual([
      ["PlugX", "PlugX"],
      ["LockBit (Windows)", "LockBit"],
    ]);
    expect(result.malware[0].matched.map((e: { text: string }) => e.text)).toEqual(["PlugX", "Korplug"]);
    const seed = JSON.parse((await runCli(["analyze", SEED_STORY, "--json"])).stdout);
    expect(seed[0].malware).toEqual([]);
    const text = await runCli(["analyze", file]);
    expect(text.stdout).toContain("Malware:   PlugX (matched PlugX, Korplug); LockBit (matched LockBit)");
  });

  it("analyze --json always lists cves (upper-case, each once) and sectors; the report has a CVEs line", async () => {
    const { dir } = tempWorkspace();
    const file = join(dir, "cve.md");
    writeFileSync(
      file,
      "# Firewall flaw exploited\n\ndate 2024-04-12\n\nAttackers exploited cve-2024-3400 in firewalls; CVE-2024-3400 is now patched, unlike CVE-2024-12.\n",
    );
    const [result] = JSON.parse((await runCli(["analyze", file, "--json"])).stdout);
    expect(result.cves).toEqual(["CVE-2024-3400"]);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(["sectors", "malware", "cves", "cyber"]));
    const seed = JSON.parse((await runCli(["analyze", SEED_STORY, "--json"])).stdout);
    expect(seed[0].cves).toEqual([]);
    expect((await runCli(["analyze", file])).stdout).toContain("  CVEs:      CVE-2024-3400");
  });

  it("ask answers /cyber apt40 from the store as the console renders it", async () => {
    const { seeds, db } = tempWorkspace();
    await runCli(["ingest", "--seeds", seeds, "--db", db]);
    const text = await runCli(["ask", "/cyber kryptonite panda", "--db", db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("APT40");
    expect(text.stdout).toContain("2024-03-25");
    const json = JSON.parse((await runCli(["ask", "/cyber nz", "--db", db, "--json"])).stdout);
    expect(json).toMatchObject({ kind: "answer" });
    // The seed says New Zealand's parliamentary entities were attacked: a target, not merely named.
    expect(json.stories[0].note).toBe("New Zealand: target");
  });

  // How soon a dropped file is stored is measured by bench/ingest.ts ("dropped file to stored").
  it("run prints the seed story, picks up a dropped file, and stops cleanly on SIGTERM", async () => {
    const { seeds, db } = tempWorkspace();
    const bot = startCli(["run", "--seeds", seeds, "--db", db], { env: { LOG_LEVEL: "warn" } });
    try {
      await waitFor(
        () => bot.out.stdout.includes("Australia and New Zealand have joined forces"),
        10_000,
        "the seed story",
      );
      writeFileSync(
        join(seeds, "new.txt"),
        "date 2024-06-01 Volt Typhoon hackers breached a Guam water utility, officials said.\n",
      );
      await waitFor(
        () => bot.out.stdout.includes("Volt Typhoon hackers breached"),
        15_000,
        "the dropped story",
      );
    } finally {
      bot.child.kill("SIGTERM");
    }
    expect(await bot.exited).toBe(0);
  });
});

describe("cyberbrief backup", () => {
  it("writes a consistent copy that opens with the same stories", async () => {
    const { seeds, db, dir } = tempWorkspace();
    await runCli(["ingest", "--seeds", seeds, "--db", db]);
    const copy = join(dir, "copy.db");
    const res = await runCli(["backup", copy, "--db", db]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Backed up");
    const status = JSON.parse((await runCli(["status", "--db", copy, "--json"])).stdout);
    expect(status.stories).toBe(1);
    const same = await runCli(["backup", db, "--db", db]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain("another file");
  });
});
