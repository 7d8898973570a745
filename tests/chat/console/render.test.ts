// How the console lays out replies: one story printed once, columns measured in terminal cells, digests.

import { describe, expect, it } from "vitest";
import { buildBatch } from "../../../src/alerts/alert.js";
import { renderBatch, renderCard, renderReply } from "../../../src/chat/console/render.js";
import type { CommandHandler, Reply } from "../../../src/chat/types.js";
import { storyCard } from "../../../src/core/cards.js";
import type { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import { command, useFilledStore } from "../../helpers/filled-store.js";
import { fakeTerminal } from "./terminal.js";

let handler: CommandHandler;
let store: SqliteStoryStore;
useFilledStore((filled) => ({ handler, store } = filled));

const ask = (text: string) => handler.handle(command(text));
const count = (text: string, part: string) => text.split(part).length - 1;

/** What a terminal of `columns` shows for `text`, and where each needle starts on it. */
async function onScreen(text: string, columns = 100) {
  const term = fakeTerminal(columns, 60);
  term.stdout.write(text);
  return { text: await term.text(), columnsOf: (needle: string) => term.columnsOf(needle) };
}

describe("console rendering", () => {
  it("/cyber story <id> prints the story once: title, summary, then one table of dates, tags and source", async () => {
    const story = (await store.latest(5)).stories.find((s) => s.title.startsWith("Advisory names APT40"));
    if (!story) throw new Error("no APT40 story");
    const out = renderReply(await ask(`story ${story.id}`));
    expect(count(out, story.title)).toBe(1);
    expect(count(out, story.summary.slice(0, 40))).toBe(1);
    expect(count(out, "04-apt40-again.txt")).toBe(1);
    expect(out).not.toMatch(/Actors:|Countries:/);
    const lines = out.split("\n");
    expect(lines[0]).toBe(`== ${story.title}`);
    expect(lines.findIndex((l) => l.startsWith("   Date"))).toBeGreaterThan(1);
    expect(lines).toContain(`   Id                 ${story.id} (revision 1)`);
  });

  it("values line up after labels holding flags, wide characters and combining marks", async () => {
    const reply: Reply = {
      kind: "answer",
      headline: "Tags",
      text: [],
      fields: [
        { label: "Actor APT40", value: "v-actor" },
        { label: "🇳🇿 New Zealand", value: "v-flag" },
        { label: "🇨🇳 China", value: "v-short-flag" },
        { label: "中国 China", value: "v-cjk" },
        { label: "Cafe\u0301 Bear", value: "v-combining" },
      ],
      stories: [],
      private: false,
    };
    const screen = await onScreen(renderReply(reply));
    const starts = await Promise.all(
      ["v-actor", "v-flag", "v-short-flag", "v-cjk", "v-combining"].map(
        async (v) => (await screen.columnsOf(v))[0],
      ),
    );
    // Indent 3 + the widest label ("🇳🇿 New Zealand": a flag of 2 cells, 14 in all) + 2 spaces.
    expect(new Set(starts)).toEqual(new Set([19]));
  });

  it("the story table's values line up on screen, flags and all", async () => {
    const story = (await store.latest(5)).stories.find((s) => s.title.startsWith("Advisory names APT40"));
    if (!story) throw new Error("no APT40 story");
    const reply = await ask(`story ${story.id}`);
    const screen = await onScreen(renderReply(reply));
    const starts = await Promise.all(
      reply.fields.map(async (f) => (await screen.columnsOf(f.value.slice(0, 12)))[0]),
    );
    expect(starts.every((c) => c !== undefined)).toBe(true);
    expect(new Set(starts).size).toBe(1);
  });

  it("long titles and summaries wrap to the width given, measured in columns", async () => {
    const out = renderReply(await ask("apt40"), 60);
    // A line wider than the terminal would take two rows on it.
    const screen = await onScreen(out, 61);
    expect(screen.text.split("\n")).toHaveLength(out.trimEnd().split("\n").length);
    expect(out).toMatch(/\] 2024-03-25 {2}Australia and New Zealand have joined.*\n {4}\S/);
  });

  it("a digest says how many stories and why, without parentheses inside parentheses", async () => {
    const stories = (await store.latest(5)).stories;
    const batch = buildBatch(stories.map((s, i) => ({ story: s, tags: i % 2 ? "all" : "country:NZ" })));
    if (batch.kind !== "batch") throw new Error("not a batch");
    const out = renderBatch(batch.alerts, batch.reason);
    const head = out.trim().split("\n")[0];
    expect(head).toBe(">> 5 new stories (subscribed to all, country:NZ)");
    expect(out).not.toMatch(/\([^)]*\(/);
    expect(renderBatch(batch.alerts.slice(0, 1), batch.reason)).toContain(">> 1 new story (");
  });

  it("a flood summary counts every story, names the top actors and lists only the first few", async () => {
    const stories = (await store.latest(5)).stories;
    const items = Array.from({ length: 142 }, (_, i) => ({
      story: stories[i % stories.length],
      tags: "all",
    }));
    const batch = buildBatch(items.flatMap((i) => (i.story ? [{ story: i.story, tags: i.tags }] : [])));
    if (batch.kind !== "batch") throw new Error("not a batch");
    expect(batch.total).toBe(142);
    expect(batch.alerts).toHaveLength(10);
    const out = renderBatch(batch.alerts, batch.reason, 100, batch.total, batch.top);
    expect(out.trim().split("\n")[0]).toMatch(/^>> 142 new stories, most about \S.* \(subscribed to all\)$/);
    expect(out).toContain("…and 132 more: /cyber latest");
  });
});

describe("story cards", () => {
  it("a long list of countries wraps under its first item, not under the label", async () => {
    const story = (await store.latest(5)).stories.find((s) => s.title.startsWith("Advisory names APT40"));
    if (!story) throw new Error("no APT40 story");
    const out = renderCard(storyCard(story), true, 70);
    const at = out.split("\n").findIndex((l) => l.startsWith("    Countries: "));
    expect(out.split("\n")[at + 1]).toMatch(/^ {15}\S/);
  });
});

describe("reply fields", () => {
  it("keep a value's own line breaks (a feed's URL, interval and health each on a line)", () => {
    const out = renderReply({
      kind: "answer",
      headline: "1 feed",
      text: [],
      fields: [
        { label: "#1 Demo News", value: "https://news.example/feed\nevery 15m · added by chat\nno errors" },
      ],
      stories: [],
      private: false,
    });
    const lines = out.split("\n");
    const at = lines.findIndex((l) => l.includes("#1 Demo News"));
    expect(lines[at]).toMatch(/#1 Demo News {2}https:\/\/news\.example\/feed$/);
    expect(lines[at + 1]?.trim()).toBe("every 15m · added by chat");
    expect(lines[at + 2]?.trim()).toBe("no errors");
  });
});
