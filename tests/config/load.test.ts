// Every setting is checked by the one schema: cron schedules by node-cron, switches by a fixed word list, log
// levels by pino's names; one error lists every problem with the variable or flag to fix.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import cron from "node-cron";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { type Env, loadConfig } from "../../src/config/load.js";
import { EVERY_MINUTE } from "../../src/config/schema.js";
import { ConfigError } from "../../src/core/errors.js";
import { packagePath } from "../../src/core/paths.js";
import { tempDir } from "../helpers/tmp.js";

const NO_DOTENV = "/nonexistent-cwd-for-dotenv";
const load = (env: Env, cwd = NO_DOTENV) => loadConfig({ env, cwd });

function problems(env: Env, opts: { cwd?: string; flags?: Record<string, string> } = {}): string[] {
  try {
    loadConfig({ env, cwd: opts.cwd ?? NO_DOTENV, flags: opts.flags });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("the configuration was accepted");
}

describe("configuration validation", () => {
  it("the default database is var/cyberbrief.db under the working folder, not in the shipped data/", () => {
    const cwd = tempDir();
    expect(load({}, cwd).dbPath).toBe(join(cwd, "var", "cyberbrief.db"));
  });

  it.each(["61 * * * *", "bad cron", "* * * *", "*/0 * * * *"])("refuses the cron schedule %j", (cron) => {
    const [problem, ...rest] = problems({ CYBERBRIEF_SCAN_CRON: cron });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^CYBERBRIEF_SCAN_CRON: .*not a valid cron schedule/);
  });

  it.each(["*/5 * * * *", "0 9-17 * * 1-5", "*/30 * * * * *"])("accepts the cron schedule %j", (cron) => {
    expect(load({ CYBERBRIEF_SCAN_CRON: cron }).ingest.scanCron).toBe(cron);
  });

  it("the default schedule, accepted without loading node-cron, is the shipped default and one node-cron accepts", () => {
    const shipped = JSON.parse(readFileSync(packagePath("config", "default.json"), "utf8"));
    expect(shipped.ingest.scanCron).toBe(EVERY_MINUTE);
    expect(cron.validate(EVERY_MINUTE)).toBe(true);
    expect(load({}).ingest.scanCron).toBe(EVERY_MINUTE);
  });

  it("Discord shards: a count, and the ids this process runs as a list or a range; each mistake in one line", () => {
    expect(load({}).discord.shardCount).toBeUndefined();
    const c = load({ DISCORD_SHARD_COUNT: "4", DISCORD_SHARDS: "0-1, 3" });
    expect([c.discord.shardCount, c.discord.shards]).toEqual([4, [0, 1, 3]]);
    expect(problems({ DISCORD_SHARDS: "0" })).toEqual([
      "DISCORD_SHARDS: set DISCORD_SHARD_COUNT too: how many shards the bot runs in all, across every process",
    ]);
    expect(problems({ DISCORD_SHARD_COUNT: "2", DISCORD_SHARDS: "1,2" })).toEqual([
      "DISCORD_SHARDS: shard 2 does not exist with DISCORD_SHARD_COUNT=2 (ids are 0-1)",
    ]);
    expect(problems({ DISCORD_SHARD_COUNT: "2", DISCORD_SHARDS: "one" })).toEqual([
      'DISCORD_SHARDS: expected shard ids such as "0,1" or "0-3", got "one"',
    ]);
    expect(problems({ DISCORD_SHARD_COUNT: "0" })).toEqual([
      "DISCORD_SHARD_COUNT: expected 1 to 1024 shards",
    ]);
  });

  it("CYBERBRIEF_TZ takes an IANA zone name (UTC by default) and refuses anything else in one line", () => {
    expect(load({}).timeZone).toBe("UTC");
    expect(load({ CYBERBRIEF_TZ: "Europe/Berlin" }).timeZone).toBe("Europe/Berlin");
    for (const zone of ["Mars/Olympus", "CEST+1", "Berlin"]) {
      expect(problems({ CYBERBRIEF_TZ: zone })).toEqual([
        `CYBERBRIEF_TZ: "${zone}" is not an IANA time zone name (e.g. UTC, Europe/Berlin, Pacific/Auckland)`,
      ]);
    }
  });

  it("reads switches strictly: true/false, 1/0, yes/no, on/off in any case, and nothing else", () => {
    for (const word of ["true", "1", "yes", "on", "TRUE", "Yes"])
      expect(load({ CYBERBRIEF_WATCH: word, DISCORD_REGISTER_ON_START: word }).ingest.watch).toBe(true);
    for (const word of ["false", "0", "no", "off", "OFF"]) {
      const c = load({ CYBERBRIEF_WATCH: word, DISCORD_REGISTER_ON_START: word });
      expect([c.ingest.watch, c.discord.registerOnStart]).toEqual([false, false]);
    }
    for (const word of ["maybe", "2", "enabled", "y"]) {
      expect(problems({ CYBERBRIEF_WATCH: word })).toEqual([
        `CYBERBRIEF_WATCH: expected true/false, yes/no, on/off or 1/0, got ${JSON.stringify(word)}`,
      ]);
    }
  });

  it("accepts exactly pino's log levels and silent", () => {
    for (const level of [...Object.keys(pino.levels.values), "silent"])
      expect(load({ LOG_LEVEL: level.toUpperCase() }).logLevel).toBe(level);
    expect(problems({ LOG_LEVEL: "loud" })[0]).toMatch(/^LOG_LEVEL: expected one of .*got "loud"/);
    expect(problems({}, { flags: { logLevel: "verbose" } })[0]).toMatch(/^--log-level: expected one of/);
  });

  it("lists every problem at once, each with the variable to fix, and where a .env value came from", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, ".env"), "CYBERBRIEF_WATCH=maybe\nCYBERBRIEF_FLOOD_THRESHOLD=lots\n");
    const found = problems(
      { CYBERBRIEF_SCAN_CRON: "61 * * * *", LOG_LEVEL: "loud", SLACK_PORT: "http" },
      { cwd },
    );
    expect(found).toHaveLength(5);
    const dotenv = join(cwd, ".env");
    for (const start of [
      "LOG_LEVEL: ",
      "CYBERBRIEF_SCAN_CRON: ",
      `CYBERBRIEF_WATCH in ${dotenv}: `,
      `CYBERBRIEF_FLOOD_THRESHOLD in ${dotenv}: expected a whole number`,
      "SLACK_PORT: expected a port number",
    ])
      expect(
        found.some((p) => p.startsWith(start)),
        start,
      ).toBe(true);
  });

  it("names the defaults file for a bad default, and never echoes a long value (it may be a secret)", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "config"));
    const defaults = join(dir, "config", "default.json");
    const base = loadConfig({ env: {}, cwd: NO_DOTENV });
    writeFileSync(
      defaults,
      JSON.stringify({ ...base, ingest: { ...base.ingest, scanCron: "every minute" } }),
    );
    expect(() => loadConfig({ env: {}, cwd: NO_DOTENV, defaultsFile: defaults })).toThrow(
      `ingest.scanCron in ${defaults}: "every minute" is not a valid cron schedule`,
    );
    const secret = "xoxb-1234567890-abcdefghijklmnop";
    const [problem] = problems({ LOG_LEVEL: secret });
    expect(problem).not.toContain(secret.toLowerCase());
    expect(problem).toContain("a value of");
  });
});
