// A feed through the real `cyberbrief run` on the console: added with the CLI, its old items stay quiet, a new item
// is alerted once, and after a restart a republished copy (new GUID, new date, tracking parameters) repeats nothing.

import { afterEach, describe, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { document, FeedServer } from "../helpers/feed-server.js";
import { newsItem, type RssItem, rss } from "../helpers/rss.js";
import { waitFor } from "../helpers/tmp.js";
import { tempWorkspace } from "../helpers/workspace.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Console alert lines ("[id] 2024-07-09  Title") for a title, not the greeting's "Latest:" line. */
const alertLines = (stdout: string, title: string): number =>
  stdout.split("\n").filter((l) => /\[[0-9a-f]{4,}\] \d{4}-\d{2}-\d{2}~? {2}/.test(l) && l.includes(title))
    .length;

function startBot(seeds: string, db: string) {
  const bot = startCli(["run", "--seeds", seeds, "--db", db], { env: { LOG_LEVEL: "info" } });
  cleanups.push(async () => {
    if (bot.child.exitCode === null) {
      bot.child.kill("SIGKILL");
      await bot.exited;
    }
  });
  return bot;
}

describe("a feed in the running bot", () => {
  it("alerts a new item once, nothing old, and nothing again after a restart and a republish", async () => {
    const server = await FeedServer.start();
    cleanups.push(() => server.close());
    const old: RssItem = newsItem(1, new Date(Date.now() - 48 * 3600_000), { title: "Old report on APT31" });
    const doc = document({ body: rss([old]) });
    server.route("/feed.xml", doc);
    const { seeds, db } = tempWorkspace();
    const add = await runCli([
      "feed",
      "add",
      server.url("/feed.xml"),
      "--name",
      "Local News",
      "--every",
      "1s",
      "--db",
      db,
    ]);
    expect(add.code).toBe(0);

    const bot = startBot(seeds, db);
    await waitFor(() => bot.out.stderr.includes("cyberbrief is running"), 20_000, "the bot to start");
    await waitFor(() => doc.served.full >= 1 && doc.served.notModified >= 1, 20_000, "the baseline poll");
    const fresh: RssItem = newsItem(2, new Date(), {
      title: "Fresh APT40 intrusion at a New Zealand ministry",
    });
    doc.set(rss([fresh, old]));
    await waitFor(() => alertLines(bot.out.stdout, fresh.title) === 1, 20_000, "the new item's alert");
    // Two more polls answered: still one alert, and the old item never alerted.
    const polled = doc.served.notModified;
    await waitFor(() => doc.served.notModified >= polled + 2, 20_000, "two more polls");
    expect(alertLines(bot.out.stdout, fresh.title)).toBe(1);
    expect(alertLines(bot.out.stdout, old.title)).toBe(0);
    expect(bot.out.stdout).toContain("Source: Local News");
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);

    // The publisher regenerates GUIDs and dates and adds tracking parameters; the bot restarts.
    const again = startBot(seeds, db);
    await waitFor(() => again.out.stderr.includes("cyberbrief is running"), 20_000, "the restart");
    const served = doc.served.full;
    doc.set(
      rss([
        {
          ...fresh,
          guid: "regenerated-2",
          date: new Date(),
          link: `${fresh.link}?utm_source=feed&utm_medium=rss`,
        },
        { ...old, guid: "regenerated-1", date: new Date() },
      ]),
    );
    await waitFor(() => doc.served.full > served, 20_000, "the republished feed to be read");
    const after = doc.served.notModified;
    await waitFor(() => doc.served.notModified >= after + 1, 20_000, "a poll after it");
    expect(alertLines(again.out.stdout, fresh.title)).toBe(0);
    expect(alertLines(again.out.stdout, old.title)).toBe(0);
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);

    const status = await runCli(["status", "--db", db, "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ stories: 3 });
    const list = await runCli(["feed", "list", "--json", "--db", db]);
    expect(JSON.parse(list.stdout)).toMatchObject([{ displayName: "Local News", failures: 0, itemsSeen: 2 }]);
  });
});
