// The adapter with the real command layer on a store filled by real ingest: Discord-side end to end.

import { MessageFlags } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { CommandHandler } from "../../../src/chat/types.js";
import type { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import { useFilledStore } from "../../helpers/filled-store.js";
import { MEMBER, MODERATOR } from "./fixtures.js";
import { type Bot, startBot, stopBot } from "./harness.js";

let handler: CommandHandler;
let store: SqliteStoryStore;
let bot: Bot | undefined;

useFilledStore((filled) => ({ handler, store } = filled));
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Cb = {
  type: number;
  data?: { embeds?: Array<{ title?: string }>; choices?: unknown[]; flags?: number };
};
const CALLBACK = /\/callback$/;

describe("with the real command handler", () => {
  it("answers /cyber apt40 with embeds Discord accepts", async () => {
    bot = await startBot({ handler });
    bot.interact({ kind: "command", query: "apt40" });
    const cb = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Cb;
    expect(cb.type).toBe(4);
    expect(cb.data?.embeds?.[0]?.title).toMatch(/^APT40/);
    expect(bot.fake.find("POST", CALLBACK).map((r) => r.status)).toEqual([204]); // within every limit
  });

  it("suggests APT40 for 'kryp'", async () => {
    bot = await startBot({ handler });
    bot.interact({ kind: "autocomplete", partial: "kryp" });
    const cb = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Cb;
    const choices = (cb.data?.choices ?? []) as Array<{ name: string; value: string }>;
    expect(choices.some((c) => /APT40/i.test(c.name))).toBe(true);
    expect(bot.fake.find("POST", CALLBACK).map((r) => r.status)).toEqual([204]);
  });

  it("subscribes only with Manage Channels, into this channel's reference", async () => {
    bot = await startBot({ handler });
    const g = bot.fake.guild;
    bot.interact({ kind: "command", query: "subscribe country:nz", permissions: MEMBER });
    const refused = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Cb;
    expect(((refused.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0).toBe(true);
    const ref = `discord:${g.id}/${g.channels[0]}`;
    expect(await store.subscriptions(ref)).toEqual([]);

    bot.interact({ kind: "command", query: "subscribe country:nz", permissions: MODERATOR });
    await bot.fake.waitFor(() => bot?.fake.callbacks()[1]);
    const after = await store.subscriptions(ref);
    expect(after.map((x) => [x.tag, x.platform, x.disabledAt])).toEqual([["country:NZ", "discord", null]]);
  });
});
