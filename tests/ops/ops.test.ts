import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/log/logger.js";
import { runBot } from "../../src/main.js";
import { progressReporter } from "../../src/ops/progress.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { consoleIO } from "../helpers/console-io.js";
import { document, FeedServer } from "../helpers/feed-server.js";
import { newsItem, rss } from "../helpers/rss.js";
import { waitFor } from "../helpers/tmp.js";
import { tempWorkspace } from "../helpers/workspace.js";

function setup() {
  const { dir, seeds } = tempWorkspace();
  writeFileSync(join(seeds, "bad.txt"), Buffer.from([0xff, 0xfe, 0x00]));
  const config = loadConfig({
    env: { CYBERBRIEF_HTTP_PORT: "0", CYBERBRIEF_WATCH: "false" },
    flags: { db: join(dir, "db.sqlite"), seeds },
  });
  const { output, read: printed } = consoleIO();
  return { config, output, printed };
}

describe("health, readiness and metrics", () => {
  it("serves /healthz, /readyz and Prometheus /metrics with the bot's counters", async () => {
    const { config, output, printed } = setup();
    const bot = await runBot(config, silentLogger(), { input: new PassThrough(), output });
    try {
      await bot.firstScan;
      await waitFor(() => printed().includes(">> New story"), 5000, "the alert on the console");
      const base = `http://127.0.0.1:${bot.opsPort}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: { store: true, console: true } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/cyberbrief_stories_ingested_total\{kind="new"\} 1/);
      expect(metrics).toMatch(/cyberbrief_files_rejected_total\{reason="binary"\} 1/);
      expect(metrics).toMatch(/cyberbrief_deliveries_total\{platform="console",result="sent"\} 1/);
      expect(metrics).toMatch(/cyberbrief_outbox_depth 0/);
      expect(metrics).toMatch(/cyberbrief_adapter_connected\{platform="console"\} 1/);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await bot.stop();
    }
    const ask = await fetch(`http://127.0.0.1:${bot.opsPort}/healthz`).catch((e: unknown) => e);
    expect(ask).toBeInstanceOf(Error);
  });

  it("counts command latency in a histogram", async () => {
    const { config, output } = setup();
    const bot = await runBot(config, silentLogger(), { input: new PassThrough(), output });
    try {
      await bot.firstScan;
      await bot.core.commands.handle({
        platform: "console",
        workspace: "local",
        channel: "local",
        channelRef: "console:local",
        user: "u",
        text: "apt40",
        canManageSubscriptions: async () => ({ allowed: true, needed: "" }),
      });
      const metrics = await (await fetch(`http://127.0.0.1:${bot.opsPort}/metrics`)).text();
      expect(metrics).toMatch(/cyberbrief_command_duration_seconds_count\{intent="lookup"\} 1/);
    } finally {
      await bot.stop();
    }
  });
});

describe("backlog progress", () => {
  it("draws a live line on a terminal and logs periodically otherwise", () => {
    let drawn = "";
    const tty = {
      write: (s: string) => {
        drawn += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    let t = 0;
    const live = progressReporter({ log: silentLogger(), tty, now: () => t });
    live(0, 1000);
    for (let i = 1; i <= 1000; i++) {
      t += 1;
      live(i, 1000);
    }
    expect(drawn).toContain("ingesting 0/1000 files (0%)");
    expect(drawn).toContain("ingesting 500/1000 files (50%)");
    expect(drawn.endsWith("ingesting 1000/1000 files (100%)\n")).toBe(true);

    const lines: string[] = [];
    const log = { info: (_o: object, msg: string) => lines.push(msg) } as unknown as ReturnType<
      typeof silentLogger
    >;
    t = 0;
    const logged = progressReporter({ log, tty: null, now: () => t, logEveryMs: 5000 });
    for (let i = 0; i <= 1000; i++) {
      t += 20;
      logged(i, 1000);
    }
    expect(lines[0]).toBe("ingesting backlog: 0%");
    expect(lines.at(-1)).toBe("backlog ingested");
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.length).toBeLessThan(10);
    const small: string[] = [];
    progressReporter({ log: { info: (_o: object, m: string) => small.push(m) } as never, tty: null })(5, 10);
    expect(small).toEqual([]);
  });
});

describe("feed metrics", () => {
  it("counts feed polls by result", async () => {
    const { config, output } = setup();
    const server = await FeedServer.start();
    server.route("/feed.xml", document({ body: rss([newsItem(1)]) }));
    const store = new SqliteStoryStore(config.dbPath);
    await store.addFeed(
      { url: server.url("/feed.xml"), name: null, everyMs: 1000, fullText: false },
      "cli",
      "cli",
    );
    await store.close();
    const bot = await runBot(config, silentLogger(), { input: new PassThrough(), output });
    try {
      const base = `http://127.0.0.1:${bot.opsPort}`;
      const scrape = async () => (await fetch(`${base}/metrics`)).text();
      let metrics = "";
      await waitFor(
        async () => {
          metrics = await scrape();
          return /cyberbrief_feed_polls_total\{result="not-modified"\} [1-9]/.test(metrics);
        },
        20_000,
        "a 304 poll",
      );
      expect(metrics).toMatch(/cyberbrief_feed_polls_total\{result="ok"\} 1\n/);
    } finally {
      await bot.stop();
      await server.close();
    }
  });
});
