// `cyberbrief feed add|list|remove|import` and config/feeds.yaml through the built CLI, as operators use them:
// each bad input is one line and exit code 2, and the commands work beside a running bot.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/tmp.js";
import { tempWorkspace } from "../helpers/workspace.js";

/** A database path in a fresh folder, and a feeds file there that does not exist (no config feeds). */
function place() {
  const dir = tempDir();
  const db = join(dir, "cb.db");
  const feeds = join(dir, "feeds.yaml");
  const cli = (...args: string[]) => runCli([...args, "--db", db]);
  return { dir, db, feeds, cli };
}

/** One line on stderr, exit code 2, nothing on stdout. */
function usageError(res: { code: number; stdout: string; stderr: string }, text: RegExp | string): void {
  expect(res.code).toBe(2);
  expect(res.stdout).toBe("");
  const lines = res.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    typeof text === "string" ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : text,
  );
}

const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Reader export</title></head><body>
  <outline text="Security">
    <outline text="Alpha text" title="Alpha" type="rss" xmlUrl="https://alpha.example/feed"/>
    <outline text="Nested"><outline text="Beta" xmlUrl="http://127.0.0.1:9/beta.xml"/></outline>
  </outline>
  <outline text="Old FTP" xmlUrl="ftp://gamma.example/feed"/>
  <outline text="Alpha again" xmlUrl="HTTPS://ALPHA.example/feed#dup"/>
  <outline text="A site, not a feed" htmlUrl="https://delta.example/"/>
</body></opml>`;

describe("cyberbrief feed", () => {
  it("add, list (text and JSON), remove by id and by URL", async () => {
    const { cli } = place();
    const added = await cli(
      "feed",
      "add",
      "http://127.0.0.1:9/feed.xml",
      "--name",
      "Local",
      "--every",
      "30s",
      "--full-text",
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added feed 1: Local \(http:\/\/127\.0\.0\.1:9\/feed\.xml\), every 30s, full text\./,
    );
    expect((await cli("feed", "add", "https://news.example/rss")).stdout).toContain(
      "Added feed 2: news.example",
    );
    const again = await cli("feed", "add", "HTTPS://NEWS.example/rss#x", "--every", "2h");
    expect(again.stdout).toContain("Feed 2: news.example (https://news.example/rss) is already there");

    const text = await cli("feed", "list");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("2 feeds:");
    expect(text.stdout).toContain(
      "1  Local  http://127.0.0.1:9/feed.xml\n    every 30s · full text · added by operator (CLI)\n",
    );
    expect(text.stdout).toContain("not polled yet · no errors · 0 items seen · next poll due now");
    const json = JSON.parse((await cli("feed", "list", "--json")).stdout);
    expect(json).toHaveLength(2);
    expect(json[1]).toMatchObject({
      id: 2,
      url: "https://news.example/rss",
      everyMs: 900_000,
      origin: "cli",
      baselined: false,
    });

    expect((await cli("feed", "remove", "1")).stdout).toBe(
      "Removed feed 1: Local (http://127.0.0.1:9/feed.xml); its stories stay.\n",
    );
    expect((await cli("feed", "rm", "https://news.example/rss")).code).toBe(0);
    expect((await cli("feed", "list")).stdout).toMatch(/^No feeds\./);
    usageError(await cli("feed", "remove", "1"), 'no feed "1"; `cyberbrief feed list` shows each feed');
  });

  it("refuses a bad --every, a URL that is not http(s), and a missing or unknown subcommand, in one line each", async () => {
    const { cli } = place();
    for (const every of ["15", "2d", "0.5s"]) {
      usageError(
        await cli("feed", "add", "https://a.example/f", "--every", every),
        /^cyberbrief: --every: ".*" is not a poll interval: .*30s, 15m, 2h/,
      );
    }
    usageError(
      await cli("feed", "add", "file:///etc/passwd"),
      "uses file:, but feeds are fetched over http or https only",
    );
    usageError(await cli("feed", "add", "not a url"), '"not a url" is not a URL');
    usageError(await runCli(["feed"]), /^cyberbrief: no feed command given; usage: cyberbrief feed add URL/);
    usageError(await runCli(["feed", "rename", "1"]), /^cyberbrief: unknown feed command 'rename'; usage:/);
    usageError(await cli("feed", "import", "x.opml", "--every", "1w"), /--every: "1w"/);
    expect(JSON.parse((await cli("feed", "list", "--json")).stdout)).toEqual([]);
  });

  it("import adds each outline with an xmlUrl, folders flattened, and counts added, present and refused", async () => {
    const { dir, cli } = place();
    writeFileSync(join(dir, "subs.opml"), OPML);
    await cli("feed", "add", "http://127.0.0.1:9/beta.xml");
    const res = await cli("feed", "import", join(dir, "subs.opml"), "--every", "1h");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(
      `Imported ${join(dir, "subs.opml")}: 1 added, 2 already present, 1 refused.`,
    );
    expect(res.stdout).toContain('refused: "ftp://gamma.example/feed" uses ftp:');
    const feeds = JSON.parse((await cli("feed", "list", "--json")).stdout);
    expect(
      feeds.map((f: { url: string; name: string | null; everyMs: number }) => [f.url, f.name, f.everyMs]),
    ).toEqual([
      ["http://127.0.0.1:9/beta.xml", null, 900_000],
      ["https://alpha.example/feed", "Alpha", 3_600_000],
    ]);
  });

  it("a file that is not OPML, lists no feed, or is missing is one line and exit 2", async () => {
    const { dir, cli } = place();
    writeFileSync(join(dir, "page.opml"), "<html><body>not a subscription list</body></html>");
    usageError(await cli("feed", "import", join(dir, "page.opml")), /page\.opml is not an OPML file/);
    writeFileSync(
      join(dir, "empty.opml"),
      '<opml version="2.0"><head/><body><outline text="x"/></body></opml>',
    );
    usageError(await cli("feed", "import", join(dir, "empty.opml")), /empty\.opml lists no feeds/);
    usageError(await cli("feed", "import", join(dir, "none.opml")), /cannot read .*none\.opml/);
  });
});

describe("config/feeds.yaml from the CLI", () => {
  it("feed list syncs the file first; its feeds cannot be removed with the CLI; a bad file is one line", async () => {
    const { feeds, cli } = place();
    writeFileSync(feeds, "- url: https://cfg.example/feed\n  name: From config\n  every: 2h\n");
    const list = await cli("feed", "list", "--feeds", feeds);
    expect(list.stdout).toContain(
      "1  From config  https://cfg.example/feed\n    every 2h · added by config file",
    );
    usageError(
      await cli("feed", "remove", "1", "--feeds", feeds),
      `feed 1: From config (https://cfg.example/feed) is listed in ${feeds}; remove it there`,
    );
    writeFileSync(feeds, "");
    const env = await runCli(["feed", "list", "--json", "--db", place().db], {
      env: { CYBERBRIEF_FEEDS_FILE: feeds },
    });
    expect(JSON.parse(env.stdout)).toEqual([]);
    expect(JSON.parse((await cli("feed", "list", "--json", "--feeds", feeds)).stdout)).toEqual([]);
    writeFileSync(feeds, "- url: https://cfg.example/feed\n  every: often\n");
    usageError(
      await cli("feed", "list", "--feeds", feeds),
      `${feeds}: entry 1 (https://cfg.example/feed): every: "often" is not a poll interval`,
    );
  });

  it("`run` stops at start on a bad feeds file (exit 2, one line naming it)", async () => {
    const { seeds, db, dir } = tempWorkspace();
    const feeds = join(dir, "feeds.yaml");
    writeFileSync(feeds, "- url: gopher://old.example/\n");
    const res = await runCli(["run", "--seeds", seeds, "--db", db, "--feeds", feeds]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toBe(
      `cyberbrief: ${feeds}: entry 1 (gopher://old.example/): "gopher://old.example/" uses gopher:, but feeds are fetched over http or https only`,
    );
  });
});

describe("feeds beside a running bot", () => {
  it("`run` syncs the feeds file at start; feed add and remove work while it holds the database", async () => {
    const { seeds, db, dir } = tempWorkspace();
    const feeds = join(dir, "feeds.yaml");
    writeFileSync(feeds, "- url: http://127.0.0.1:9/config.xml\n");
    const bot = startCli(["run", "--seeds", seeds, "--db", db, "--feeds", feeds], {
      env: { LOG_LEVEL: "info" },
    });
    try {
      await waitFor(() => bot.out.stderr.includes("cyberbrief is running"), 15_000, "the bot to start");
      // status reads without syncing: the feed is there because `run` synced the file.
      const status = await runCli(["status", "--db", db, "--json"]);
      expect(JSON.parse(status.stdout)).toMatchObject({ feeds: 1, feedItems: 0 });
      expect((await runCli(["status", "--db", db])).stdout).toContain("Feeds:    1 (0 feed items stored;");
      const ingest = await runCli(["ingest", "--seeds", seeds, "--db", db]);
      expect(ingest.code).toBe(2);
      const added = await runCli(["feed", "add", "http://127.0.0.1:9/cli.xml", "--db", db]);
      expect(added.code).toBe(0);
      expect(added.stdout).toContain("Added feed 2");
      expect((await runCli(["feed", "remove", "2", "--db", db])).code).toBe(0);
      const list = JSON.parse(
        (await runCli(["feed", "list", "--json", "--db", db, "--feeds", feeds])).stdout,
      );
      expect(list.map((f: { url: string }) => f.url)).toEqual(["http://127.0.0.1:9/config.xml"]);
      expect(bot.child.exitCode).toBeNull();
    } finally {
      bot.child.kill("SIGTERM");
      await bot.exited;
    }
  });
});
