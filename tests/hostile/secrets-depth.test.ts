// Secrets at any depth of a log line: the configured tokens and signing secret, raw, JSON-escaped or URL-encoded,
// are blanked wherever they appear (a field 5 levels down, an error message, a URL query), on top of the
// key-based redaction; and the CLI gives its logger the configured values.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { secretValues } from "../../src/config/schema.js";
import { createLogger } from "../../src/log/logger.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { LEAK_MARKERS, SECRET_DISCORD } from "./leaks.js";

describe("secrets in log lines, at any depth", () => {
  /** Characters that change under JSON and URL encoding, so every encoded form is exercised. */
  const TOKEN = "xoxb-SECRET-BOT-0000/a+b=c d";
  const SIGNING = "SECRET-SIGNING-1111";

  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { lines, destination };
  }

  it("blanks the configured secrets 5 levels deep, in error messages and in URL queries, raw or encoded", () => {
    const config = loadConfig({
      env: {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SIGNING,
        DISCORD_TOKEN: "MTE-SECRET-DISCORD-2222",
      },
      cwd: "/nonexistent-cwd-for-dotenv",
    });
    expect(secretValues(config)).toEqual([TOKEN, SIGNING, "MTE-SECRET-DISCORD-2222"]);
    const { lines, destination } = capture();
    const log = createLogger({ level: "trace", destination, pretty: false, secrets: secretValues(config) });
    const url = `https://slack.example/api/chat.postMessage?token=${encodeURIComponent(TOKEN)}&x=1`;
    const err = new Error(`request to ${url} failed`);
    log.child({ module: "slack" }).error(
      {
        err,
        a: { b: { c: { d: { e: { value: TOKEN, note: `signed with ${SIGNING}` } } } } },
        request: { url, lowercase: url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()) },
        form: `token=${encodeURIComponent(TOKEN).replaceAll("%20", "+")}`,
      },
      `posting with ${TOKEN}`,
    );
    log.info({ nested: [{ deeper: [{ discord: "Bot MTE-SECRET-DISCORD-2222" }] }] }, "discord");
    const out = lines.join("");
    expect(lines).toHaveLength(2);
    for (const marker of [...LEAK_MARKERS, encodeURIComponent(TOKEN), "a%2bb", "c+d", "c%20d"])
      expect(out, marker).not.toContain(marker);
    const line = JSON.parse(lines[0] as string);
    expect(line.a.b.c.d.e).toEqual({ value: "[redacted]", note: "signed with [redacted]" });
    expect(line.request.url).toBe("https://slack.example/api/chat.postMessage?token=[redacted]&x=1");
    expect(line.msg).toBe("posting with [redacted]");
    expect(line.err.message).toContain("?token=[redacted]&x=1");
    // Key-based redaction is still there for secrets the logger was not told about.
    log.info({ headers: { authorization: "Bearer other" } }, "headers");
    expect(JSON.parse(lines[2] as string).headers.authorization).toBe("[redacted]");
  });

  it("the CLI's logger knows the configured tokens: a token in a rejected file's name is blanked", async () => {
    const dir = tempDir();
    const seeds = join(dir, "seeds");
    mkdirSync(join(seeds, "a", "b", "c"), { recursive: true });
    writeFileSync(join(seeds, "a", "b", "c", `leak-${SECRET_DISCORD}.txt`), "");
    const res = await runCli(["ingest", "--seeds", seeds, "--db", join(dir, "store.db")], {
      env: { DISCORD_TOKEN: SECRET_DISCORD, LOG_LEVEL: "debug" },
    });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("leak-[redacted].txt");
    for (const marker of LEAK_MARKERS) expect(res.stdout + res.stderr, marker).not.toContain(marker);
  });
});
