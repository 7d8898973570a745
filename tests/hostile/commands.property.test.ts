// Hostile /cyber commands, property-based: thousands of generated strings (arbitrary unicode, control and
// zero-width characters, quotes, FTS and SQL syntax, mentions, markdown, very long input) mixed with real
// command words and real aliases, through the real parser and handler on a store filled by real ingest (the
// seed, the fixtures, and articles whose own text is hostile). Every reply must come back without an internal
// error, render within Slack's and Discord's limits with the real renderers, and never carry a live mention.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReply as renderConsole } from "../../src/chat/console/render.js";
import { toChoices } from "../../src/chat/discord/interactions.js";
import { renderReply as renderDiscord } from "../../src/chat/discord/render.js";
import { responseFor } from "../../src/chat/slack/listeners.js";
import type { CommandHandler, Reply } from "../../src/chat/types.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { checkMessage } from "../chat/discord/fake-discord.js";
import { type Bot, startBot } from "../chat/discord/harness.js";
import { blockProblems, type WireBlock } from "../chat/slack/fake-slack.js";
import { command, filledStore } from "../helpers/filled-store.js";
import { article, seededRandom } from "./random.js";

const SEED = 20240709;

let handler: CommandHandler;
let store: SqliteStoryStore;
let storyIds: string[] = [];

const MENTIONS = [
  "@everyone",
  "@here",
  "@channel",
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!here|here>",
  "<!subteam^S0123|@security>",
  "<@U0123ABC>",
  "<@123456789012345678>",
  "<@!123456789012345678>",
  "<@&123456789012345678>",
  "<@&123>",
  "<@123>",
  "<#C0123>",
  "<#123456789012345678>",
  "<https://evil.example|click me>",
  "<mailto:a@b.c|mail>",
];
const MARKUP = [
  "**bold**",
  "__under__",
  "*x*",
  "_y_",
  "~~strike~~",
  "`code`",
  "```\nblock\n```",
  "> quote",
  "# heading",
  "- item",
  "1. item",
  "||spoiler||",
  "[link](https://evil.example)",
  "![img](https://evil.example/x.png)",
  "&amp;",
  "&lt;!channel&gt;",
  "\\",
  "\\\\*",
  "<script>alert(1)</script>",
];
const INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u00ad", "\u034f"];
const CONTROL = ["\u0000", "\u0007", "\u0008", "\u001b[31m", "\u007f", "\r", "\n", "\t", "\u2028", "\u0085"];
const SYNTAX = [
  '"',
  "'",
  "“",
  "”",
  '"unclosed phrase',
  "'; DROP TABLE stories; --",
  '" OR 1=1 --',
  "1; DELETE FROM deliveries",
  "NEAR(apt40 china, 3)",
  "apt*",
  "*",
  "^start",
  "title:apt40",
  "-exclude",
  "AND",
  "OR",
  "NOT",
  "(",
  ")",
  "{",
  "}",
  "%",
  "_",
  "%_%",
  "?",
  "$1",
  "$" + "{x}", // a template placeholder, as text
  "%s%n",
];
const WORDS = [
  "/cyber",
  "cyber",
  "/CYBER",
  "help",
  "?",
  "actor",
  "group",
  "country",
  "sponsor",
  "search",
  "find",
  "latest",
  "recent",
  "new",
  "story",
  "show",
  "subscribe",
  "sub",
  "follow",
  "unsubscribe",
  "unsub",
  "unfollow",
  "subscriptions",
  "subs",
  "following",
  "page",
  "page 2",
  "page 9999",
  "p0",
  "p3",
  "5",
  "0",
  "-1",
  "99999",
  "1e9",
];
const NAMES = [
  "apt40",
  "APT 40",
  "apt4o",
  "kryptonite panda",
  "Gingham Typhoon",
  "Leviathan",
  "cozy bear",
  "APT29",
  "volt typhoon",
  "lazarus",
  "nz",
  "new zealand",
  "New Zealand",
  "chinese",
  "cn",
  "ru",
  "russia",
  "actor:apt40",
  'country:"new zealand"',
  "sponsor:cn",
  "tag:apt29",
  "actor:",
  "country:zz",
  "all",
  "parliament",
  "espionage",
];

/** One fragment of a command: mostly real words and names, seasoned with everything hostile. */
const fragment = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
    { weight: 5, arbitrary: fc.constantFrom(...NAMES) },
    { weight: 4, arbitrary: fc.constantFrom(...MENTIONS) },
    { weight: 3, arbitrary: fc.constantFrom(...MARKUP) },
    { weight: 3, arbitrary: fc.constantFrom(...SYNTAX) },
    { weight: 2, arbitrary: fc.constantFrom(...INVISIBLE, ...CONTROL) },
    { weight: 2, arbitrary: fc.constantFrom(...storyIds, "deadbeef", "ffff", "abc", "0000") },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 300, maxLength: 2600 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...MENTIONS, ...NAMES, "a", "🛰️", "\u200b"), fc.integer({ min: 50, max: 900 }))
        .map(([s, n]) => s.repeat(n)),
    },
  );

const separator = fc.constantFrom(" ", " ", " ", "  ", "", "\t", "\n", "\u00a0", "\u3000");

/** Fragments in any order: mostly nonsense, which must still get a polite answer. */
const freeForm = (): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fragment(), separator), { minLength: 0, maxLength: 10 })
    .map((parts) => parts.map(([f, s]) => f + s).join(""));

/** A real command shape (prefix, verb and a fitting argument, suffix) with hostile decoration, so answers come too. */
const shaped = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom("", "", "/cyber ", "cyber ", " /CYBER\t", "\u200b/cyber "),
      fc.oneof(
        fc
          .tuple(
            fc.constantFrom("", "", "actor ", "country ", "sponsor ", "subscribe ", "unsubscribe "),
            fc.constantFrom(...NAMES, "apt\u200b40", "APT\u00a040", "ＡＰＴ４０", "new\tzealand"),
          )
          .map(([verb, name]) => verb + name),
        fc
          .tuple(
            fc.constantFrom("search ", "find "),
            fc.constantFrom("espionage", "APT40", "everyone", "network hackers", '"hackers from"', "report"),
          )
          .map(([verb, words]) => verb + words),
        fc
          .tuple(fc.constantFrom("story ", "show "), fc.constantFrom(...storyIds))
          .map(([verb, id]) => verb + id),
        fc.constantFrom("latest", "recent", "new", "latest 3", "subscriptions", "help", "help search"),
      ),
      fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom("", " page 2", " p2", " page 99999", ...INVISIBLE, ...CONTROL),
        },
        { weight: 1, arbitrary: fc.constantFrom(...MENTIONS.map((m) => ` ${m}`), ...MARKUP) },
      ),
    )
    .map((parts) => parts.join(""));

const commandText = (): fc.Arbitrary<string> =>
  fc.oneof({ weight: 3, arbitrary: freeForm() }, { weight: 2, arbitrary: shaped() });

const USERS = ["U0ASKER", "@everyone", "<!channel>", "\u202eresu", "", "x".repeat(300)];

beforeAll(async () => {
  const filled = await filledStore();
  handler = filled.handler;
  store = filled.store;
  // Articles whose own text is hostile, through the same real ingest: replies quote titles and summaries.
  const r = seededRandom(SEED);
  const hostileArticles = [
    `---\ntitle: "@everyone <!channel> <@U0123> <@&123456789012345678> **URGENT** APT40"\nurl: "https://evil.example/a|b>c<!here>"\nsource: "<@U0999> @here"\n---\nAPT40 hackers from China hit New Zealand. @here <!everyone> <@123> are all mentioned here. ${"Kryptonite Panda ".repeat(40)}\n`,
    `---\ntitle: "${"🕵️‍♂️ ".repeat(120)}"\nurl: "javascript:alert(1)"\n---\nAPT40 struck again, say officials in New Zealand.\n`,
    `date 2024-07-01\n\n${"A".repeat(290)}\n\n${"APT40 hackers from China, ".repeat(400)}done.\n`,
    `date 2024-07-02\n\nEvery actor at once\n\n${["APT40", "APT29", "APT28", "Lazarus Group", "Volt Typhoon", "Sandworm", "APT31", "Turla", "Kimsuky", "APT41", "Charming Kitten", "MuddyWater", "Gamaredon", "Equation Group", "OilRig"].map((a) => `Researchers linked ${a} hackers to the intrusion.`).join(" ")}\n`,
    `date 2024-07-03\n\nEvery country at once\n\n${["New Zealand", "Australia", "China", "Russia", "Iran", "North Korea", "Ukraine", "Taiwan", "Japan", "India", "Brazil", "Germany", "France", "Israel", "Canada", "Mexico", "Vietnam", "Pakistan", "Egypt", "Kenya"].map((c) => `Hackers from ${c} were blamed by APT40 watchers.`).join(" ")}\n`,
    `date 2024-07-04\n\n**Bold** _under_ ~~strike~~ \`code\` ||spoiler|| [x](https://evil.example)\n\n# Not a heading\n> quote APT40 attacked a ministry in New Zealand using <script>alert(1)</script> and &amp; entities &lt;!channel&gt;.\n`,
    `date 2024-07-05\n\n\u202eReversed title APT40\n\nZero\u200bwidth\u200dAPT40\u2060text from New Zealand with RTL \u202eoverride\u202c and soft\u00adhyphens.\n`,
  ];
  for (const [i, text] of hostileArticles.entries())
    writeFileSync(join(filled.seeds, `hostile-${i}.md`), text);
  for (let i = 0; i < 30; i++)
    writeFileSync(join(filled.seeds, `gen-${i}.txt`), article(r, `cmd${i}`, r.int(1, 6)));
  const report = await filled.engine.scan(filled.seeds);
  expect(report.new).toBe(hostileArticles.length + 30);
  storyIds = (await store.latest(100)).stories.map((s) => s.id);
  // Partial ids too: `/cyber story` takes a unique prefix.
  storyIds = [...storyIds, ...storyIds.map((id) => id.slice(0, 4))];
}, 60_000);

afterAll(async () => {
  await store?.close();
});

/** Every string Slack shows: the fallback text and each block's texts (not button values, which are data). */
function slackTexts(message: { text?: string; blocks?: unknown }): string[] {
  const out = [message.text ?? ""];
  for (const b of (message.blocks ?? []) as WireBlock[]) {
    if (b.text?.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text ?? "");
    for (const e of b.elements ?? []) {
      if (typeof e.text === "string") out.push(e.text);
      else if (e.text?.text) out.push(e.text.text);
    }
  }
  return out;
}

/** Slack problems: limits, mentions and control sequences that did not come from the renderer itself. */
function slackProblems(message: { text?: string; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const blocks = blockProblems(message.blocks);
  if (blocks) problems.push(`blocks: ${blocks}`);
  if ((message.text ?? "").length > 3000) problems.push(`fallback text of ${message.text?.length}`);
  for (const text of slackTexts(message)) {
    if (/<!(channel|here|everyone|subteam)/i.test(text))
      problems.push(`special mention in ${JSON.stringify(text)}`);
    if (/<[@#]/.test(text)) problems.push(`user, group or channel mention in ${JSON.stringify(text)}`);
    if (/(^|[^\w\u2060])@(channel|here|everyone)\b/i.test(text))
      problems.push(`live @-word in ${JSON.stringify(text)}`);
    // The renderer's own links are `<http(s)://...|label>`; any other `<` would be a control sequence.
    const rest = text.replace(/<https?:\/\/[^\s<>|]+\|/g, "");
    if (rest.includes("<")) problems.push(`unescaped < in ${JSON.stringify(text)}`);
  }
  return problems;
}

interface DiscordEmbedLike {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
  author?: { name: string };
}

/** Discord problems: every documented limit (fake-discord's checker), and no unescaped user or role mention. */
function discordProblems(body: { embeds: DiscordEmbedLike[]; components: unknown[] }): string[] {
  const problems = checkMessage(body as unknown as Record<string, unknown>);
  for (const e of body.embeds) {
    const texts = [
      e.title,
      e.description,
      e.footer?.text,
      e.author?.name,
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ];
    for (const t of texts) {
      if (t !== undefined && /(^|[^\\])<(@[!&]?|#)\d+>/.test(t))
        problems.push(`live mention in ${JSON.stringify(t)}`);
    }
  }
  return problems;
}

async function checkOne(
  text: string,
  user: string,
  allowed: boolean,
  ask: CommandHandler = handler,
): Promise<Reply> {
  const reply = await ask.handle(command(text, { allowed, user, userName: user }));
  // An "error" reply is an exception the handler caught: a bug, whatever the input.
  expect(reply.kind, `internal error for ${JSON.stringify(text)}`).not.toBe("error");
  for (const visibility of ["private", "public"] as const) {
    const slack = responseFor(reply, text, { visibility });
    expect(slackProblems(slack), `Slack (${visibility}) for ${JSON.stringify(text)}`).toEqual([]);
  }
  const discord = renderDiscord(reply, reply.kind === "answer" ? "share:1234567890" : undefined);
  expect(discordProblems(discord), `Discord for ${JSON.stringify(text)}`).toEqual([]);
  expect(typeof renderConsole(reply)).toBe("string");
  // Autocomplete sees the same text as it is typed.
  const choices = toChoices(ask.suggest(text, 25));
  expect(choices.length).toBeLessThanOrEqual(25);
  for (const c of choices) {
    expect(c.name.length).toBeGreaterThan(0);
    expect(c.name.length).toBeLessThanOrEqual(100);
    expect(c.value.length).toBeGreaterThan(0);
    expect(c.value.length).toBeLessThanOrEqual(100);
  }
  return reply;
}

describe("hostile /cyber commands", () => {
  it("1,000 generated commands: no internal error, every reply within Slack and Discord limits, no mentions", async () => {
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        commandText(),
        fc.constantFrom(...USERS),
        fc.boolean(),
        async (text, user, allowed) => {
          const reply = await checkOne(text, user, allowed);
          kinds.set(reply.kind, (kinds.get(reply.kind) ?? 0) + 1);
        },
      ),
      { numRuns: 1000, seed: SEED, endOnFailure: true },
    );
    // The generator reaches real answers, not only usage messages.
    expect(kinds.get("answer") ?? 0).toBeGreaterThan(150);
    expect(kinds.get("usage") ?? 0).toBeGreaterThan(10);
  }, 120_000);

  it("hand-picked worst cases", async () => {
    const cases = [
      "",
      "/cyber",
      "@everyone",
      "<!channel> apt40",
      "subscribe <!here>",
      "subscribe actor:apt40",
      "subscribe all",
      "subscribe country:nz",
      "subscriptions",
      "search <@&123456789012345678>",
      'search "@everyone',
      "search \u0000\u0000",
      `search ${"a ".repeat(249)}`,
      `search ${"apt40 ".repeat(90)}`,
      "a".repeat(501),
      "a".repeat(2001),
      `${"\u200b".repeat(2000)}apt40`,
      "latest 99999 page 99999",
      "story 0000",
      `story ${storyIds[0] ?? "abcd"}`,
      `actor ${"kryptonite panda ".repeat(29)}`,
      `country ${"new zealand ".repeat(40)}`,
      "help <@123>",
      "NEAR(apt40 china, 3)",
      "apt40 OR 1=1",
      "'; DROP TABLE stories; --",
    ];
    for (const text of cases) await checkOne(text, "U0ASKER", true);
    // Words after `new` are a name, not a bad count for `latest`.
    expect((await checkOne("new zealand", "U0ASKER", true)).headline).toContain("New Zealand");
    // The hostile articles made it into the store, and a search that finds them still renders safely.
    const found = await checkOne("search everyone", "U0ASKER", true);
    expect(found.stories.length).toBeGreaterThan(0);
  });
});

describe("hostile /cyber commands through the real Discord adapter", () => {
  let bot: Bot | undefined;
  afterAll(async () => {
    await bot?.stop();
  });

  it("every reply Discord receives has allowed_mentions {parse: []} and is accepted (within limits)", async () => {
    bot = await startBot({ handler });
    const texts = fc.sample(commandText(), { numRuns: 60, seed: SEED + 1 }).map((t) => t.slice(0, 100));
    texts.push("@everyone <@&123> <@123> apt40", "<!channel>", "search everyone");
    for (const [i, query] of texts.entries()) {
      bot.interact({ kind: "command", query });
      await bot.fake.waitFor(() => bot?.fake.callbacks()[i], 5000);
    }
    // Replies go in interaction callbacks (or, when deferred, as edits of the original).
    const sent = bot.fake.requests.filter(
      (r) => /\/callback$/.test(r.path) || /\/messages\/@original$/.test(decodeURIComponent(r.path)),
    );
    expect(sent.length).toBeGreaterThanOrEqual(texts.length);
    for (const r of sent) {
      const body = r.body as { type?: number; data?: Record<string, unknown> } & Record<string, unknown>;
      const message = (body.data ?? body) as Record<string, unknown>;
      if (body.type === 5) continue; // a bare "thinking…" defer carries no message
      expect(message.allowed_mentions, `allowed_mentions for ${r.path}`).toEqual({ parse: [] });
      expect(r.status, `Discord's answer to ${r.path}`).toBeLessThan(300);
    }
    expect(bot.errors).toEqual([]);
  }, 60_000);
});
