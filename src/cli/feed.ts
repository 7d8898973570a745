// `cyberbrief feed add|list|remove|import`: the operator's feeds. These work beside a running bot (no run lock:
// each change is one short SQLite write in WAL mode, and the bot's poller reads its feeds from the store).

import type { Command } from "commander";
import type { Config } from "../config/schema.js";
import { CyberbriefError } from "../core/errors.js";
import { feedHealth, feedOriginText, feedUrl, formatEvery, parseEvery } from "../core/feed-text.js";
import { DEFAULT_FEED_EVERY_MS, type Feed, type FeedStore, UNHEALTHY_AFTER } from "../core/feeds.js";
import { type CommonOpts, setup, withCommonOptions } from "./options.js";
import { printable } from "./text.js";

const USAGE =
  "usage: cyberbrief feed add URL [--name NAME] [--every 15m] [--full-text] | feed list [--json] | feed remove ID|URL | feed import FILE.opml";

interface AddOpts extends CommonOpts {
  name?: string;
  every?: string;
  fullText?: boolean;
}

const usage = (problem: string) => new CyberbriefError("cli/usage", `${problem}; ${USAGE}`);

/** `--every` in milliseconds (15 minutes when not given), or a usage error. */
function everyMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_FEED_EVERY_MS;
  const every = parseEvery(text);
  if ("problem" in every) throw new CyberbriefError("cli/usage", `--every: ${every.problem}`);
  return every.ms;
}

/** Opens the feeds, runs `act`, closes them; returns `act`'s exit code. */
async function withFeeds(
  opts: CommonOpts & { feeds?: string },
  sync: boolean,
  act: (feeds: FeedStore, config: Config) => Promise<number>,
): Promise<number> {
  const { config } = setup(opts, true);
  const { openFeeds } = await import("../main.js");
  const opened = await openFeeds(config, { sync });
  try {
    return await act(opened.feeds, config);
  } finally {
    await opened.close();
  }
}

const describe = (f: Feed) => `${f.id}: ${f.displayName} (${f.url})`;

async function addFeed(feeds: FeedStore, url: string, opts: AddOpts): Promise<number> {
  const every = everyMs(opts.every);
  const checked = feedUrl(url);
  if ("problem" in checked) throw new CyberbriefError("cli/bad-url", checked.problem);
  const spec = {
    url: checked.url,
    name: opts.name ?? null,
    everyMs: every,
    fullText: opts.fullText === true,
  };
  const { feed, created } = await feeds.addFeed(spec, "cli", "cli");
  const text = created
    ? `Added feed ${describe(feed)}, every ${formatEvery(feed.everyMs)}${feed.fullText ? ", full text" : ""}. ` +
      "Its first poll stores what it holds without alerting (the baseline); a running bot picks it up by itself."
    : `Feed ${describe(feed)} is already there (added by ${feed.origin}); nothing changed.`;
  process.stdout.write(`${printable(text)}\n`);
  return 0;
}

async function removeFeed(feeds: FeedStore, config: Config, target: string): Promise<number> {
  const feed = await feeds.getFeed(target);
  if (!feed) {
    throw new CyberbriefError(
      "cli/unknown-feed",
      `no feed ${printable(JSON.stringify(target))}; \`cyberbrief feed list\` shows each feed's id and URL`,
    );
  }
  if (feed.origin === "config") {
    throw new CyberbriefError(
      "cli/config-feed",
      `feed ${printable(describe(feed))} is listed in ${config.feedsFile}; remove it there (the bot syncs the file when it starts)`,
    );
  }
  await feeds.removeFeed(feed.id);
  process.stdout.write(`${printable(`Removed feed ${describe(feed)}; its stories stay.`)}\n`);
  return 0;
}

/** Who added a feed, for the operator: chat feeds name the channel that added them. */
function addedBy(feed: Feed): string {
  if (feed.origin !== "chat") return feedOriginText(feed);
  const more = feed.followers.length > 1 ? ` and ${feed.followers.length - 1} more` : "";
  return `chat (${feed.followers[0] ?? feed.addedBy}${more})`;
}

/**
 * `feed list` as text: each feed's id, name, URL, interval and origin, then its health (the facts `/cyber feeds`
 * shows) in relative times; ends in a newline, and every text from outside is made printable.
 */
export function feedListText(feeds: Feed[], nowMs: number): string {
  if (feeds.length === 0) {
    return (
      "No feeds. Add one with `cyberbrief feed add URL`, list them in config/feeds.yaml " +
      "(see config/feeds.example.yaml), or import an OPML file with `cyberbrief feed import FILE.opml`.\n"
    );
  }
  const failing = feeds.filter((f) => f.failures >= UNHEALTHY_AFTER).length;
  const lines = [
    `${feeds.length} ${feeds.length === 1 ? "feed" : "feeds"}${failing ? `, ${failing} unhealthy` : ""}:`,
  ];
  for (const f of feeds) {
    const options = [
      `every ${formatEvery(f.everyMs)}`,
      ...(f.fullText ? ["full text"] : []),
      `added by ${addedBy(f)}`,
    ];
    lines.push(
      "",
      `${f.id}  ${f.displayName}  ${f.url}`,
      `    ${options.join(" · ")}`,
      `    ${feedHealth(f, nowMs)}`,
    );
  }
  return `${lines.map(printable).join("\n")}\n`;
}

export function registerFeedCommands(program: Command): void {
  // No options on `feed` itself: commander would give them to it, not to the subcommand that follows.
  const feed = program
    .command("feed")
    .description("manage news feeds (RSS, Atom, JSON Feed): add, list, remove, import")
    .argument("[subcommand]")
    .allowExcessArguments(true)
    .action((sub?: string) => {
      throw usage(sub ? `unknown feed command '${printable(sub)}'` : "no feed command given");
    });

  withCommonOptions(feed.command("add"))
    .description("add a feed: its first poll is a silent baseline, later items are alerted")
    .argument("<url>", "the feed's http or https address")
    .option("--name <name>", "the name shown as the source of its stories (default: the feed's title)")
    .option("--every <interval>", "how often to poll: 30s, 15m, 2h (1s to 7 days; default 15m)")
    .option("--full-text", "fetch the linked page when an item is only a teaser")
    .action(async (url: string, opts: AddOpts) => {
      process.exitCode = await withFeeds(opts, false, (feeds) => addFeed(feeds, url, opts));
    });

  withCommonOptions(feed.command("list"))
    .description("list the feeds with their health (config/feeds.yaml synced first)")
    .option("--feeds <file>", "the feeds file (env CYBERBRIEF_FEEDS_FILE; default config/feeds.yaml)")
    .option("--json", "print the feeds as JSON")
    .action(async (opts: CommonOpts & { feeds?: string; json?: boolean }) => {
      process.exitCode = await withFeeds(opts, true, async (feeds) => {
        const all = await feeds.listFeeds();
        process.stdout.write(opts.json ? `${JSON.stringify(all, null, 2)}\n` : feedListText(all, Date.now()));
        return 0;
      });
    });

  withCommonOptions(feed.command("remove"))
    .alias("rm")
    .description("remove a feed added with the CLI or in chat (its stories stay)")
    .argument("<id-or-url>", "the feed's id (from feed list) or URL")
    .option("--feeds <file>", "the feeds file (env CYBERBRIEF_FEEDS_FILE; default config/feeds.yaml)")
    .action(async (target: string, opts: CommonOpts & { feeds?: string }) => {
      process.exitCode = await withFeeds(opts, false, (feeds, config) => removeFeed(feeds, config, target));
    });

  withCommonOptions(feed.command("import"))
    .description("add every feed of an OPML file (a feed reader's export)")
    .argument("<file>", "the OPML file")
    .option("--every <interval>", "how often to poll each: 30s, 15m, 2h (default 15m)")
    .option("--full-text", "fetch the linked page when an item is only a teaser")
    .action(async (file: string, opts: AddOpts) => {
      const settings = { everyMs: everyMs(opts.every), fullText: opts.fullText === true };
      const { importOpml } = await import("./opml.js");
      process.exitCode = await withFeeds(opts, false, (feeds) => importOpml(feeds, file, settings));
    });
}
