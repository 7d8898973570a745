// /cyber feeds, feed add and feed remove through the real command handler on a real store: only channel
// managers change feeds, chat URLs must be public http(s) (checked with a fake DNS, never fetched), the adding
// channel follows the feed, and operator feeds cannot be removed from chat.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderReply as renderDiscord } from "../../src/chat/discord/render.js";
import { renderReply as renderSlack } from "../../src/chat/slack/render.js";
import type { ChatCommand } from "../../src/chat/types.js";
import { MAX_CHAT_FEEDS } from "../../src/commands/feeds.js";
import { createCommandHandler } from "../../src/commands/handler.js";
import type { Reply } from "../../src/core/cards.js";
import { publicUrlCheck } from "../../src/feeds/guard.js";
import { silentLogger } from "../../src/log/logger.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { ManualClock } from "../alerts/fixtures.js";
import { analysisOf } from "../helpers/analysis.js";
import { command, fakeDns, gazetteer } from "../helpers/filled-store.js";
import { tempDir } from "../helpers/tmp.js";

const SLACK = "slack:T1/C1";
const OTHER = "slack:T1/C2";

function bed() {
  const clock = new ManualClock(Date.parse("2026-03-01T10:00:00Z"));
  const store = new SqliteStoryStore(join(tempDir(), "cb.db"), { clock });
  const looked: string[] = [];
  const handler = createCommandHandler({
    store,
    subscriptions: store,
    feeds: store,
    urlCheck: publicUrlCheck(async (host) => {
      looked.push(host);
      return fakeDns(host);
    }),
    names: gazetteer,
    log: silentLogger(),
    clock,
  });
  const ask = (text: string, opts: Partial<ChatCommand> & { allowed?: boolean } = {}) =>
    handler.handle(command(text, { channelRef: SLACK, ...opts }));
  return { store, clock, ask, looked };
}

const all = (r: Reply) =>
  [r.headline, ...r.text, ...r.fields.map((f) => `${f.label}: ${f.value}`), r.footer ?? ""].join("\n");

describe("/cyber feed add", () => {
  it("is refused politely to a user who may not manage the channel, before any name is looked up", async () => {
    const { store, ask, looked } = bed();
    const reply = await ask("feed add https://news.example/feed.xml", { allowed: false });
    expect(reply.kind).toBe("refused");
    expect(reply.headline).toBe("Sorry, you can't add or remove feeds for this channel");
    expect(reply.text[0]).toContain("That needs the Manage Channels permission");
    expect(looked).toEqual([]);
    expect(await store.listFeeds()).toEqual([]);
  });

  it.each([
    ["http://127.0.0.1/feed", /127\.0\.0\.1 is a loopback address/],
    ["http://localhost:8080/rss", /localhost resolves to a loopback address/],
    ["http://[::1]/feed", /loopback address/],
    ["http://169.254.169.254/latest/meta-data", /link-local \(cloud metadata\) address/],
    ["https://intranet.example/rss", /intranet\.example resolves to a private address/],
    ["file:///etc/passwd", /only http and https feeds can be added, not file/],
    ["gopher://news.example/", /not gopher/],
    ["https://nowhere.example/feed", /nowhere\.example does not resolve/],
    ["not-a-url", /that is not a URL/],
  ])("refuses %s with the reason, and stores nothing", async (url, why) => {
    const { store, ask } = bed();
    const reply = await ask(`feed add ${url}`);
    expect(reply.kind).toBe("refused");
    expect(reply.private).toBe(true);
    expect(reply.text[0]).toMatch(why);
    expect(reply.text[1]).toContain("cyberbrief feed add");
    expect(await store.listFeeds()).toEqual([]);
  });

  it("adds a public feed with its name; the adding channel follows it, and /cyber feeds shows it with its health", async () => {
    const { store, ask } = bed();
    const added = await ask("feed add HTTPS://News.Example/feed.xml#latest Example News");
    expect(added.kind).toBe("answer");
    expect(added.private).toBe(false);
    expect(added.headline).toBe("Added feed #1 Example News");
    expect(added.fields).toEqual([{ label: "URL", value: "https://news.example/feed.xml" }]);
    expect(added.text.join(" ")).toMatch(/first poll stores what the feed holds now without alerting/);
    const [feed] = await store.listFeeds();
    expect(feed).toMatchObject({ origin: "chat", addedBy: SLACK, followers: [SLACK], name: "Example News" });

    const list = await ask("feeds");
    expect(list.headline).toBe("1 feed");
    expect(list.fields[0]?.label).toBe("#1 Example News");
    expect(list.fields[0]?.value).toBe(
      "https://news.example/feed.xml\nevery 15m · added by chat · this channel added it\nnot polled yet · no errors · 0 items seen · next poll due now",
    );
    expect((await ask("feed list")).fields).toEqual(list.fields);
  });

  it("unwraps a Slack-formatted <url|label> and says when the feed is already there", async () => {
    const { store, ask } = bed();
    await store.addFeed(
      { url: "https://news.example/feed.xml", name: null, everyMs: 900_000, fullText: false },
      "cli",
      "cli",
    );
    const reply = await ask("feed add <https://news.example/feed.xml|news.example/feed.xml>");
    expect(reply.headline).toBe("Feed #1 news.example is already polled");
    expect(reply.text[0]).toMatch(/This channel now follows it/);
    expect((await store.getFeed("1"))?.followers).toEqual([SLACK]);
    expect((await ask("feed add https://news.example/feed.xml")).text[0]).toMatch(/^Nothing changed/);
  });

  it("shows failing feeds with their last error, and pages long lists", async () => {
    const { store, ask } = bed();
    for (let i = 1; i <= 12; i++) {
      await store.addFeed(
        { url: `https://news.example/${i}`, name: null, everyMs: 900_000, fullText: false },
        "cli",
        "cli",
      );
    }
    await store.updateFeed(3, {
      failingSince: "2026-02-28T10:00:00.000Z",
      failures: 40,
      lastError: "HTTP 503",
      lastErrorAt: "2026-03-01T09:55:00.000Z",
    });
    const first = await ask("feeds");
    expect(first.headline).toBe("12 feeds, 1 unhealthy");
    expect(first.fields).toHaveLength(10);
    expect(first.fields[2]?.value).toContain(
      "UNHEALTHY: failing since 24 h ago (40 failures in a row) · not polled yet · last error 5 min ago: HTTP 503",
    );
    expect(first.footer).toBe("Showing 1–10 of 12 feeds. More: /cyber feeds page 2");
    const second = await ask("feeds page 2");
    expect(second.fields.map((f) => f.label)).toEqual(["#11 news.example", "#12 news.example"]);
    expect(second.footer).toBe("Showing 11–12 of 12 feeds. First: /cyber feeds");
  });

  it("says how to add one when there are no feeds", async () => {
    const { ask } = bed();
    const reply = await ask("feeds");
    expect(reply.kind).toBe("empty");
    expect(all(reply)).toContain("/cyber feed add https://example.com/feed.xml");
  });
});

describe("/cyber feed remove", () => {
  it("removes a chat feed when the last channel that added it removes it; its stories stay", async () => {
    const { store, ask } = bed();
    await ask("feed add https://news.example/feed.xml");
    await ask("feed add https://news.example/feed.xml", { channelRef: OTHER });
    const first = await ask("feed remove 1");
    expect(first.headline).toBe("This channel no longer follows feed #1 news.example");
    expect((await store.getFeed("1"))?.followers).toEqual([OTHER]);
    const again = await ask("feed remove 1");
    expect(again).toMatchObject({
      kind: "refused",
      headline: "This channel did not add feed #1 news.example",
    });
    const last = await ask("feed remove https://news.example/feed.xml", { channelRef: OTHER });
    expect(last.headline).toBe("Removed feed #1 news.example");
    expect(await store.listFeeds()).toEqual([]);
  });

  it("refuses operator feeds, naming the CLI command or the feeds file", async () => {
    const { store, ask } = bed();
    await store.addFeed(
      { url: "https://news.example/cli", name: "Ops", everyMs: 900_000, fullText: false },
      "cli",
      "cli",
    );
    await store.syncConfigFeeds([
      { url: "https://news.example/config", name: null, everyMs: 900_000, fullText: false },
    ]);
    await ask("feed add https://news.example/cli");
    const cli = await ask("feed remove 1");
    expect(cli).toMatchObject({
      kind: "refused",
      headline: "Feed #1 Ops was added by the operator, not in chat",
    });
    expect(cli.text[0]).toContain("`cyberbrief feed remove 1`");
    const config = await ask("feed remove https://news.example/config");
    expect(config.text[0]).toContain("config/feeds.yaml");
    expect((await store.listFeeds()).map((f) => f.id)).toEqual([1, 2]);
  });

  it("needs the channel managers' permission, and says when there is no such feed", async () => {
    const { store, ask } = bed();
    await ask("feed add https://news.example/feed.xml");
    expect((await ask("feed remove 1", { allowed: false })).kind).toBe("refused");
    expect(await store.listFeeds()).toHaveLength(1);
    const unknown = await ask("feed remove 42");
    expect(unknown).toMatchObject({ kind: "empty", headline: 'No feed "42"' });
  });
});

describe("feed command words", () => {
  it.each([
    ["feed", /^`feed` takes add, remove or list/],
    ["feed add", /^Which feed\?/],
    ["feed remove", /^Which feed\?/],
    ["feed remove 1 2", /^Remove one feed at a time/],
    ["feed rename 1", /^`feed` takes add, remove or list/],
  ])("%j is a usage reply", async (text, problem) => {
    const { ask } = bed();
    const reply = await ask(text);
    expect(reply.kind).toBe("usage");
    expect(reply.headline).toMatch(problem);
  });

  it("help lists the feed commands, and `help feeds` explains the first poll", async () => {
    const { ask } = bed();
    const help = await ask("help");
    expect(help.fields.map((f) => f.label)).toEqual(
      expect.arrayContaining(["/cyber feeds", "/cyber feed add <url> [name]", "/cyber feed remove <id>"]),
    );
    expect((await ask("help feed")).text[0]).toMatch(/first poll stores what it holds without alerting/);
  });

  it("a name or URL with mentions and markdown stays text once Slack and Discord render the reply", async () => {
    const { store, ask } = bed();
    const name = "<!channel> **bold** [x](https://evil.example) @everyone";
    const added = await ask(`feed add https://news.example/@here?q=<!here> ${name}`);
    expect(added.headline).toBe(`Added feed #1 ${name}`);
    expect((await store.getFeed("1"))?.url).toBe("https://news.example/@here?q=%3C!here%3E");
    for (const reply of [added, await ask("feeds")]) {
      const slack = JSON.stringify(renderSlack(reply));
      expect(slack).not.toMatch(/<[!@#]/);
      expect(slack).not.toMatch(/@(channel|here|everyone)/);
      const discord = JSON.stringify(renderDiscord(reply));
      expect(discord).not.toContain("**bold**");
      expect(discord).not.toContain("[x](");
    }
  });
});

describe("/cyber feed add, the per-channel cap", () => {
  it(`refuses a channel's ${MAX_CHAT_FEEDS + 1}th feed, and another channel may still add`, async () => {
    const { store, ask } = bed();
    for (let n = 1; n <= MAX_CHAT_FEEDS; n++) {
      expect((await ask(`feed add https://news.example/feed-${n}.xml`)).kind).toBe("answer");
    }
    const over = await ask("feed add https://news.example/one-more.xml");
    expect(over.kind).toBe("refused");
    expect(over.headline).toBe(`This channel already follows ${MAX_CHAT_FEEDS} feeds`);
    expect((await ask("feed add https://news.example/feed-1.xml")).kind).toBe("answer");
    expect((await ask("feed add https://news.example/one-more.xml", { channelRef: OTHER })).kind).toBe(
      "answer",
    );
    expect(await store.listFeeds()).toHaveLength(MAX_CHAT_FEEDS + 1);
  });
});

describe("a feed story in /cyber story", () => {
  it("names the feed and links the item as its source", async () => {
    const { store, ask } = bed();
    const body = "The group APT40 went after networks in New Zealand, officials said.";
    const path = "https://news.example/reports/7";
    await store.saveArticle(
      {
        path,
        title: "APT40 in New Zealand",
        date: "2026-03-01",
        dateEstimated: false,
        url: path,
        source: "Example News",
        blocks: [{ kind: "paragraph", text: body }],
        body,
        contentHash: "feed-story-7",
      },
      analysisOf({ summary: body }),
      { path, size: body.length, mtimeMs: 0 },
    );
    const id = (await store.latest(1)).stories[0]?.id as string;
    const reply = await ask(`story ${id}`);
    expect(reply.fields.find((f) => f.label === "Source")?.value).toBe(
      "Example News: https://news.example/reports/7",
    );
  });
});

describe("/cyber feeds and credentials", () => {
  it("masks a password and token-like query values in the URLs it shows everyone", async () => {
    const { store, ask } = bed();
    await store.addFeed(
      {
        url: "https://reader:hunter2@news.example/private.xml?token=abc123",
        name: null,
        everyMs: 900_000,
        fullText: false,
      },
      "cli",
      "cli",
    );
    const text = all(await ask("feeds"));
    expect(text).toContain("https://reader:***@news.example/private.xml?token=***");
    expect(text).not.toMatch(/hunter2|abc123/);
  });
});
