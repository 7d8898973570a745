// The web pages in the running bot: off unless CYBERBRIEF_WEB=on, then behind the token, beside /healthz and
// /metrics (which stay open); the configuration refuses pages without a token unless bound to loopback.

import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type Env, loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/core/errors.js";
import { silentLogger } from "../../src/log/logger.js";
import { runBot } from "../../src/main.js";
import { consoleIO } from "../helpers/console-io.js";
import { tempWorkspace } from "../helpers/workspace.js";

const TOKEN = "serve-test-token-0123456789";
const NO_DOTENV = "/nonexistent-cwd-for-dotenv";

function problems(env: Env): string[] {
  try {
    loadConfig({ env, cwd: NO_DOTENV });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

async function bot(env: Env) {
  const { dir, seeds } = tempWorkspace();
  const config = loadConfig({
    env: { CYBERBRIEF_HTTP_PORT: "0", CYBERBRIEF_HTTP_HOST: "127.0.0.1", CYBERBRIEF_WATCH: "false", ...env },
    flags: { db: join(dir, "db.sqlite"), seeds },
    cwd: NO_DOTENV,
  });
  const { output } = consoleIO();
  const running = await runBot(config, silentLogger(), { input: new PassThrough(), output });
  await running.firstScan;
  return { running, base: `http://127.0.0.1:${running.opsPort}` };
}

describe("configuration", () => {
  it("CYBERBRIEF_WEB=on needs a token unless the server listens on loopback, and needs the port", () => {
    const open = problems({ CYBERBRIEF_WEB: "on", CYBERBRIEF_HTTP_PORT: "8080" });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatch(
      /^CYBERBRIEF_WEB: .*set CYBERBRIEF_WEB_TOKEN .*CYBERBRIEF_HTTP_HOST=127\.0\.0\.1/,
    );
    expect(
      problems({ CYBERBRIEF_WEB: "on", CYBERBRIEF_HTTP_PORT: "8080", CYBERBRIEF_HTTP_HOST: "127.0.0.1" }),
    ).toEqual([]);
    expect(
      problems({ CYBERBRIEF_WEB: "on", CYBERBRIEF_HTTP_PORT: "8080", CYBERBRIEF_WEB_TOKEN: TOKEN }),
    ).toEqual([]);
    expect(problems({ CYBERBRIEF_WEB: "on", CYBERBRIEF_HTTP_HOST: "::1" })[0]).toMatch(
      /CYBERBRIEF_HTTP_PORT/,
    );
    expect(problems({ CYBERBRIEF_WEB_TOKEN: "short" })[0]).toMatch(
      /^CYBERBRIEF_WEB_TOKEN: expected at least 16/,
    );
    expect(problems({ CYBERBRIEF_WEB: "maybe" })[0]).toMatch(/^CYBERBRIEF_WEB: expected true\/false/);
  });
});

describe("in the running bot", () => {
  it("serves the pages behind the token while health and metrics stay open", async () => {
    const { running, base } = await bot({ CYBERBRIEF_WEB: "on", CYBERBRIEF_WEB_TOKEN: TOKEN });
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      const anonymous = await fetch(`${base}/`, { redirect: "manual" });
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get("location")).toMatch(/^\/login/);
      const page = await fetch(`${base}/`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toMatch(/1 event/);
      const css = await fetch(`${base}/assets/style.css`);
      expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    } finally {
      await running.stop();
    }
  });

  it("serves no page when CYBERBRIEF_WEB is off", async () => {
    const { running, base } = await bot({});
    try {
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/stories/abcd`)).status).toBe(404);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });
});
