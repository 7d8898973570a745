// The web pages in a real browser (Debian's Chromium driven by playwright-core): sign in, search, follow a
// story, read its delivery log, see a hostile title as text, no serious or critical axe-core violations, and a
// screenshot of each page in the test's temp folder.

import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { type OpsServer, startOpsServer } from "../../src/ops/http.js";
import { Metrics } from "../../src/ops/metrics.js";
import { webHandler } from "../../src/web/server.js";
import { tempDir } from "../helpers/tmp.js";
import { DEAD, GOOD, HOSTILE, TOKEN, type WebBed, webBed } from "./bed.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let bed: WebBed;
let server: OpsServer;
let browser: Browser;
let page: Page;
let base = "";
let shots = "";
const dialogs: string[] = [];
const refused: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with 'apt-get install -y chromium' (.ci/run does this)`,
    );
  bed = await webBed();
  server = await startOpsServer({
    port: 0,
    host: "127.0.0.1",
    metrics: new Metrics({ outboxDepth: async () => 0, adapters: () => [] }),
    readiness: () => ({ ready: true, checks: {} }),
    log: silentLogger(),
    web: webHandler(bed.deps),
  });
  base = `http://127.0.0.1:${server.port}`;
  shots = tempDir("cyberbrief-web-shots-");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (/Refused to|Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bed?.store.close();
});

/** axe-core run in the page (evaluated through the DevTools protocol, which the page's CSP does not govern). */
async function axeProblems(): Promise<string[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as { violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target).slice(0, 3))}`);
}

async function shoot(name: string): Promise<void> {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  expect(statSync(path).size).toBeGreaterThan(1000);
  expect(await axeProblems()).toEqual([]);
}

describe("in Chromium", () => {
  it("signs in, searches, follows a story and reads its delivery log; a hostile title stays text", async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await shoot("login");
    await page.fill("#token", TOKEN);
    await page.click("button:has-text('Sign in')");
    await page.waitForURL(`${base}/`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Latest events");
    // The hostile title is a link's text; nothing it contains became an element or ran.
    const hostile = page.locator(`a[href="/stories/${bed.ids.hostile}"]`);
    await expect(hostile.textContent()).resolves.toBe(HOSTILE);
    expect(await page.locator("main script, main img").count()).toBe(0);
    await shoot("events");

    await page.fill("#q", "fisheries");
    await page.press("#q", "Enter");
    await page.waitForURL(/\?q=fisheries/);
    expect(await page.locator("ol.events > li").count()).toBe(1);
    await shoot("search");

    await page.click("text=APT40 breaches a fisheries ministry");
    await page.waitForURL(`${base}/stories/${bed.ids.apt40}`);
    const row = (channel: string) => page.locator("tr", { has: page.locator(`td:text-is("${channel}")`) });
    await expect(row(GOOD).locator(".status").textContent()).resolves.toBe("delivered");
    await expect(row(DEAD).locator(".status").textContent()).resolves.toBe("failed");
    await expect(row(DEAD).textContent()).resolves.toContain("Unknown Channel (10003)");
    await shoot("story");

    await page.goto(`${base}/stories/${bed.ids.hostile}`);
    await expect(page.locator("h1").textContent()).resolves.toBe(HOSTILE);
    await shoot("hostile-story");
    expect(dialogs).toEqual([]);
  });

  it("the actor, country, channel and feed pages pass axe-core too, with the chart drawn inline", async () => {
    await page.goto(`${base}/actors/apt40`);
    expect(await page.locator("figure.chart svg rect").count()).toBeGreaterThan(1);
    await shoot("actor");
    await page.goto(`${base}/countries/nz`);
    await shoot("country");
    await page.goto(`${base}/channels`);
    await shoot("channels");
    await page.goto(`${base}/feeds`);
    await shoot("feeds");
    await page.goto(`${base}/?country=nz&role=target`);
    await shoot("filtered");
    expect(refused).toEqual([]);
  });
});
