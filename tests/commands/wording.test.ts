// Replies read as English: counts agree with their nouns, and no sentence trails off into "There are 1 in all."

import { describe, expect, it } from "vitest";
import type { CommandHandler } from "../../src/chat/types.js";
import { pageFooter } from "../../src/commands/replies.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { command, useFilledStore } from "../helpers/filled-store.js";

let handler: CommandHandler;
let store: SqliteStoryStore;
const ask = (text: string, opts = {}) => handler.handle(command(text, opts));

useFilledStore((filled) => ({ handler, store } = filled));

describe("reply wording", () => {
  it("a page past the end says how many stories there are, with the right verb and noun", async () => {
    expect((await ask("sponsor russia page 3")).footer).toBe(
      "Page 3 is past the end: there is 1 story, on page 1. Newest: /cyber sponsor russia",
    );
    expect((await ask("apt40 page 5")).footer).toBe(
      "Page 5 is past the end: there are 2 stories, on page 1. Newest: /cyber apt40",
    );
    expect(pageFooter(7, 4, 0, 5, "/cyber nz")).toBe(
      "Page 4 is past the end: there are 7 stories, on pages 1–2. Newest: /cyber nz",
    );
    expect(pageFooter(100, 30, 0, 5, "/cyber search x", true)).toBe(
      "Page 30 is past the end: there are 100+ stories. Newest: /cyber search x",
    );
  });

  it("no reply says 'There are 1' or '1 stories'", async () => {
    for (const text of [
      "sponsor russia page 2",
      "latest 1",
      "search parliament",
      "apt29",
      "finland page 2",
    ]) {
      const r = await ask(text);
      const all = [r.headline, ...r.text, r.footer ?? "", ...r.fields.map((f) => f.value)].join("\n");
      expect(all).not.toMatch(/\b1 stories\b|There are 1\b|\bare 1 in all/);
    }
    expect((await ask("latest 1")).headline).toBe("Latest story (5 stored)");
  });

  it("subscribing says how many stories match without 'the latest 2 of 2'", async () => {
    const reply = await ask("subscribe apt40", { channelRef: "slack:T9/C9" });
    expect(reply.text).toContain("The 2 matching stories so far:");
    expect((await ask("subscribe all", { channelRef: "slack:T9/C9" })).text).toContain(
      "The latest 3 of 5 matching stories:",
    );
  });

  it("usage problems are sentences: 'Unsubscribe from what?'", async () => {
    expect((await ask("unsubscribe")).headline).toBe(
      "Unsubscribe from what? For example: /cyber unsubscribe country:nz",
    );
    expect((await ask("subscribe")).headline).toMatch(/^Subscribe to what\?/);
  });

  it("an actor's sponsor is set apart from the quoted words that matched", async () => {
    const story = (await store.latest(5)).stories.find((s) => s.title.startsWith("Advisory names APT40"));
    const reply = await ask(`story ${story?.id}`);
    const actor = reply.fields.find((f) => f.label === "Actor APT40");
    expect(actor?.value).toMatch(/^matched "APT40"(, "[^"]+")*; suspected sponsor .*China$/);
  });
});
