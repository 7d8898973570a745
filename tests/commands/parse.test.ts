import { describe, expect, it } from "vitest";
import { type Intent, parseCommand } from "../../src/commands/parse.js";
import { splitWords } from "../../src/commands/parse-words.js";

const cases: Array<[string, Partial<Intent> & { kind: Intent["kind"] }]> = [
  ["", { kind: "help" }],
  ["/cyber", { kind: "help" }],
  ["help", { kind: "help" }],
  ["HELP subscribe", { kind: "help", topic: "subscribe" }],
  ["?", { kind: "help" }],
  ["apt40", { kind: "lookup", query: "apt40", page: 1 }],
  ["/cyber apt40", { kind: "lookup", query: "apt40", page: 1 }],
  ["APT 40", { kind: "lookup", query: "APT 40" }],
  ["kryptonite panda", { kind: "lookup", query: "kryptonite panda" }],
  ['"new zealand"', { kind: "lookup", query: "new zealand" }],
  ["nz page 2", { kind: "lookup", query: "nz", page: 2 }],
  ["chinese p3", { kind: "lookup", query: "chinese", page: 3 }],
  ["actor:apt40", { kind: "tag", tag: { kind: "actor", value: "apt40" }, page: 1 }],
  ['actor:"kryptonite panda"', { kind: "tag", tag: { kind: "actor", value: "kryptonite panda" } }],
  ["country:nz", { kind: "tag", tag: { kind: "country", value: "nz" } }],
  ["sponsor:cn", { kind: "tag", tag: { kind: "sponsor", value: "cn" } }],
  ["country:new zealand", { kind: "tag", tag: { kind: "country", value: "new zealand" } }],
  ["actor gingham typhoon", { kind: "tag", tag: { kind: "actor", value: "gingham typhoon" }, page: 1 }],
  ["Actor APT40 page 2", { kind: "tag", tag: { kind: "actor", value: "APT40" }, page: 2 }],
  ["country nz", { kind: "tag", tag: { kind: "country", value: "nz" } }],
  ["sponsor china", { kind: "tag", tag: { kind: "sponsor", value: "china" } }],
  ["actor", { kind: "usage" }],
  ["cve-2024-3400", { kind: "tag", tag: { kind: "cve", value: "cve-2024-3400" }, page: 1 }],
  ["CVE-2024-3400 page 2", { kind: "tag", tag: { kind: "cve", value: "CVE-2024-3400" }, page: 2 }],
  ["target:nz", { kind: "tag", tag: { kind: "target", value: "nz" } }],
  ["sector healthcare", { kind: "tag", tag: { kind: "sector", value: "healthcare" } }],
  ["malware:plugx", { kind: "tag", tag: { kind: "malware", value: "plugx" } }],
  ["sector", { kind: "usage" }],
  [
    'subscribe keyword:"electoral commission" daily',
    {
      kind: "subscribe",
      tag: { kind: "keyword", value: "electoral commission" },
      digest: { mode: "daily", at: "08:00" },
    },
  ],
  ["search parliament espionage", { kind: "search", terms: ["parliament", "espionage"], page: 1 }],
  ['search "electoral commission" breach', { kind: "search", terms: ["electoral commission", "breach"] }],
  ["search", { kind: "usage" }],
  ["latest", { kind: "latest", count: 5, page: 1 }],
  ["latest 3", { kind: "latest", count: 3 }],
  ["latest 50", { kind: "latest", count: 5 }],
  ["latest 0", { kind: "usage" }],
  ["latest many", { kind: "usage" }],
  ["latest page 2", { kind: "latest", count: 5, page: 2 }],
  ["story 3fa9c2d1", { kind: "story", id: "3fa9c2d1" }],
  ["story 3FA9", { kind: "story", id: "3fa9" }],
  ["story", { kind: "usage" }],
  ["story 12; DROP TABLE stories", { kind: "usage" }],
  ["subscribe country:nz", { kind: "subscribe", tag: { kind: "country", value: "nz" } }],
  ['sub actor:"kryptonite panda"', { kind: "subscribe", tag: { kind: "actor", value: "kryptonite panda" } }],
  ["subscribe all", { kind: "subscribe", tag: { kind: "all" } }],
  ["subscribe apt40", { kind: "subscribe", tag: { kind: "any", value: "apt40" } }],
  ["subscribe", { kind: "usage" }],
  ["subscribe country:", { kind: "usage" }],
  ["unsubscribe sponsor:cn", { kind: "unsubscribe", tag: { kind: "sponsor", value: "cn" } }],
  ["subscriptions", { kind: "subscriptions" }],
  ["subs", { kind: "subscriptions" }],
  ["feeds", { kind: "feeds", page: 1 }],
  ["feeds page 2", { kind: "feeds", page: 2 }],
  ["feed list", { kind: "feeds", page: 1 }],
  ["feed add https://news.example/rss", { kind: "feed-add", url: "https://news.example/rss", name: null }],
  [
    "feed add <https://a.example/f|a.example/f> My  Feed",
    { kind: "feed-add", url: "https://a.example/f", name: "My Feed" },
  ],
  ["feed remove 3", { kind: "feed-remove", target: "3" }],
  ["feed rm https://a.example/f", { kind: "feed-remove", target: "https://a.example/f" }],
  ["feed", { kind: "usage", topic: "feeds" }],
  ["feed add", { kind: "usage", topic: "feeds" }],
  // hostile input: all of it is text, never syntax
  ["x".repeat(10_000), { kind: "usage" }],
  ["'; DROP TABLE stories; --", { kind: "lookup", query: "'; DROP TABLE stories; --" }],
  ['search a" OR "b', { kind: "search", terms: ["a OR b"] }],
  ["search NEAR(apt40 apt31)", { kind: "search", terms: ["NEAR(apt40", "apt31)"] }],
  ["search title:* -foo", { kind: "search", terms: ["title:*", "-foo"] }],
  ['"unbalanced quote here', { kind: "lookup", query: "unbalanced quote here" }],
  ["🐼 panda", { kind: "lookup", query: "🐼 panda" }],
  ["\u0000\u0007apt40\u001b[31m", { kind: "lookup", query: "apt40 [31m" }],
  ["@everyone", { kind: "lookup", query: "@everyone" }],
  ["<@&123> <!channel>", { kind: "lookup", query: "<@&123> <!channel>" }],
  ["Новая Зеландия", { kind: "lookup", query: "Новая Зеландия" }],
  ["apt40\u200b", { kind: "lookup", query: "apt40" }],
];

describe("the /cyber parser", () => {
  it("has a table of at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%j", (input, expected) => {
    expect(parseCommand(input)).toMatchObject(expected);
  });

  it("explains what went wrong in a usage intent", () => {
    const intent = parseCommand("latest lots");
    expect(intent.kind === "usage" && intent.problem).toMatch(/latest/);
  });
});

describe("splitWords", () => {
  it("groups quoted words, straight or curly, and drops empty quotes' surroundings", () => {
    expect(splitWords('a "b c" “d e” f')).toEqual(["a", "b c", "d e", "f"]);
    expect(splitWords('actor:"x y"')).toEqual(["actor:x y"]);
  });
});
