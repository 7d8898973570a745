// Revised stories on Discord: a PATCH edits the posted alert in place; a deleted alert or a digest gets a short
// "updated" post instead, never nothing.

import { afterEach, describe, expect, it } from "vitest";
import type { Outbound } from "../../../src/chat/types.js";
import { APT40, alertOf, type Bot, startBot, stopBot } from "./harness.js";

let bot: Bot | undefined;
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Embed = { title?: string; description?: string; author?: { name: string } };
const ref = (b: Bot) => `discord:${b.fake.guild.id}/${b.fake.guild.channels[0]}`;
const EDIT = /^\/api\/v10\/channels\/\d+\/messages\/\d+$/;
const revised = (messageId?: string): Outbound => ({
  kind: "update",
  alert: alertOf({ ...APT40, title: "APT40 revised headline" }, "updated; subscribed to country:NZ"),
  ...(messageId ? { messageId } : {}),
});
const embedsOf = (b: Bot, id: string) => (b.fake.messages.get(id)?.embeds ?? []) as Embed[];

describe("DiscordAdapter.deliver of an update", () => {
  it("edits the posted alert in place: same message id, new embed, no mentions", async () => {
    bot = await startBot();
    const { messageId } = await bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() });
    const edited = await bot.adapter.deliver(ref(bot), revised(messageId));
    expect(edited.messageId).toBe(messageId);
    const [patch] = bot.fake.find("PATCH", EDIT);
    expect(patch?.path).toBe(`/api/v10/channels/${bot.fake.guild.channels[0]}/messages/${messageId}`);
    expect(patch?.status).toBe(200);
    expect(patch?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const [embed] = embedsOf(bot, messageId);
    expect(embed?.title).toBe("APT40 revised headline");
    expect(embed?.author?.name).toBe("Updated story · updated; subscribed to country:NZ");
    expect(bot.fake.messages.size).toBe(1);
  });

  it("posts a short update when there is no message to edit, or the alert was deleted (10008)", async () => {
    bot = await startBot();
    const short = await bot.adapter.deliver(ref(bot), revised());
    const gone = await bot.adapter.deliver(ref(bot), revised("1399999999999999999"));
    expect(bot.fake.find("PATCH", EDIT).map((r) => r.status)).toEqual([404]);
    for (const { messageId } of [short, gone]) {
      const [embed] = embedsOf(bot, messageId);
      expect(embed?.title).toBe("APT40 revised headline");
      expect(embed?.description).toBe(`Details: /cyber story ${APT40.id}`);
      expect(embed?.author?.name).toMatch(/^Updated story · /);
    }
  });

  it("maps a revoked token (401) to auth, naming DISCORD_TOKEN", async () => {
    bot = await startBot();
    const { messageId } = await bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() });
    bot.fake.opts.token = "a-new-token-after-a-reset";
    const err = await bot.adapter.deliver(ref(bot), revised(messageId)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "auth", code: "401" });
    expect((err as Error).message).toMatch(/DISCORD_TOKEN/);
  });
});
