// Later sources on Discord: a thread started on the alert (or the one already there) gets the reply; where
// threads are not allowed the reply references the alert instead; the alert is edited to show "+N sources".

import { afterEach, describe, expect, it } from "vitest";
import type { SourceReply } from "../../../src/chat/types.js";
import { failures } from "./fake-discord.js";
import { APT40, alertOf, type Bot, startBot, stopBot } from "./harness.js";

let bot: Bot | undefined;
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Embed = { description?: string; footer?: { text: string } };
const channelOf = (b: Bot) => b.fake.guild.channels[0] as string;
const ref = (b: Bot, channel = channelOf(b)) => `discord:${b.fake.guild.id}/${channel}`;
const embedsOf = (b: Bot, id: string) => (b.fake.messages.get(id)?.embeds ?? []) as Embed[];
const THREADS = /^\/api\/v10\/channels\/\d+\/messages\/\d+\/threads$/;

const wire = { ...APT40, id: "cd34ef", title: "Copy: APT40 targets networks", source: "Wire *Service*" };
function sourceReply(parent: string, o: Partial<SourceReply> = {}): SourceReply {
  return {
    kind: "source",
    alert: alertOf({ ...wire, url: "https://wire.example/apt40", date: "2024-07-10" }),
    added: ["APT41"],
    others: [],
    total: 1,
    parent: { messageId: parent, alert: alertOf({ ...APT40, sources: 1 }) },
    ...o,
  };
}

async function alert(b: Bot, channel = channelOf(b)): Promise<string> {
  return (await b.adapter.deliver(ref(b, channel), { kind: "alert", alert: alertOf() })).messageId;
}

describe("DiscordAdapter.deliver of a later source", () => {
  it("starts a thread on the alert, posts the reply in it, and edits the alert to show '+1 source'", async () => {
    bot = await startBot();
    const parent = await alert(bot);
    const { messageId } = await bot.adapter.deliver(ref(bot), sourceReply(parent));
    const [start] = bot.fake.find("POST", THREADS);
    expect(start?.body).toEqual({ name: APT40.title, auto_archive_duration: 4320 });
    expect(bot.fake.threads.get(parent)).toMatchObject({ parent: channelOf(bot), name: APT40.title });
    const reply = bot.fake.messages.get(messageId);
    expect(reply?.channel_id).toBe(parent);
    const post = bot.fake.find("POST", new RegExp(`/channels/${parent}/messages$`))[0];
    expect(post?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const [embed] = embedsOf(bot, messageId);
    expect(embed?.description).toBe(
      "➕ Also reported by [Wire \\*Service\\*](https://wire.example/apt40), 2024-07-10: **Copy: APT40 targets networks** · `cd34ef`\n**Adds:** APT41",
    );
    expect(embedsOf(bot, parent)[0]?.footer?.text).toBe(
      "2024-07-09 · advisory-apt40.md · +1 source · /cyber story ab12cd",
    );
  });

  it("posts a second reply into the thread already on the alert (160004: its id is the alert's)", async () => {
    bot = await startBot();
    const parent = await alert(bot);
    await bot.adapter.deliver(ref(bot), sourceReply(parent));
    const second = await bot.adapter.deliver(
      ref(bot),
      sourceReply(parent, { parent: { messageId: parent, alert: alertOf({ ...APT40, sources: 2 }) } }),
    );
    expect(bot.fake.find("POST", THREADS).map((r) => r.status)).toEqual([201, 400]);
    expect(bot.fake.messages.get(second.messageId)?.channel_id).toBe(parent);
    expect(embedsOf(bot, parent)[0]?.footer?.text).toContain("+2 sources");
  });

  it("replies to the alert in the channel where threads are not allowed (50024), and stops asking there", async () => {
    bot = await startBot();
    const channel = channelOf(bot);
    bot.fake.noThreads.add(channel);
    const parent = await alert(bot);
    const first = await bot.adapter.deliver(ref(bot), sourceReply(parent));
    const second = await bot.adapter.deliver(ref(bot), sourceReply(parent));
    for (const { messageId } of [first, second]) {
      expect(bot.fake.messages.get(messageId)?.channel_id).toBe(channel);
    }
    const replies = bot.fake.find("POST", new RegExp(`/channels/${channel}/messages$`)).slice(1);
    expect(replies.map((r) => r.body)).toEqual(
      replies.map(() =>
        expect.objectContaining({
          message_reference: { message_id: parent, fail_if_not_exists: false },
          allowed_mentions: { parse: [], replied_user: false },
        }),
      ),
    );
    expect(bot.fake.find("POST", THREADS).map((r) => r.status)).toEqual([400]);
    expect(bot.logs.some((l) => l.msg === "discord: no thread on the alert; replying in the channel")).toBe(
      true,
    );
  });

  it("replies in the channel when the bot may not create threads (50013), not disabling the channel", async () => {
    bot = await startBot();
    const parent = await alert(bot);
    bot.fake.fail({
      method: "POST",
      path: THREADS,
      respond: failures.api(403, 50013, "Missing Permissions"),
    });
    const { messageId } = await bot.adapter.deliver(ref(bot), sourceReply(parent));
    expect(bot.fake.messages.get(messageId)?.channel_id).toBe(channelOf(bot));
  });

  it("replies in the channel when the alert's thread is locked (160005)", async () => {
    bot = await startBot();
    const parent = await alert(bot);
    await bot.adapter.deliver(ref(bot), sourceReply(parent));
    const thread = bot.fake.threads.get(parent);
    if (thread) thread.locked = true;
    const { messageId } = await bot.adapter.deliver(ref(bot), sourceReply(parent));
    expect(bot.fake.messages.get(messageId)?.channel_id).toBe(channelOf(bot));
  });

  it("still delivers the reply when the alert was deleted: a plain message, the failed edit only logged", async () => {
    bot = await startBot();
    const gone = "1399999999999999999";
    const { messageId } = await bot.adapter.deliver(ref(bot), sourceReply(gone));
    expect(bot.fake.messages.get(messageId)?.channel_id).toBe(channelOf(bot));
    expect(bot.fake.find("PATCH", /\/messages\/\d+$/).map((r) => r.status)).toEqual([404]);
    expect(bot.logs.some((l) => l.msg === "discord: could not edit the alert to count its sources")).toBe(
      true,
    );
  });

  it("fails the delivery (for a retry) when Discord cannot take the reply", async () => {
    bot = await startBot();
    const parent = await alert(bot);
    bot.fake.fail({ method: "POST", path: /\/messages$/, times: 2, respond: failures.server(503) });
    const err = await bot.adapter.deliver(ref(bot), sourceReply(parent)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "transient" });
    expect(bot.fake.find("PATCH", /\/messages\/\d+$/)).toHaveLength(0);
  });

  it("stays within Discord's limits for a full burst of long titles and sources", async () => {
    bot = await startBot();
    const parent = await alert(bot);
    const long = (n: number) => ({ ...APT40, id: `id${n}`, title: "T".repeat(400), source: "s".repeat(500) });
    const others = Array.from({ length: 10 }, (_, n) => long(n));
    const message = sourceReply(parent, { alert: alertOf(long(99)), others, total: 2000 });
    const { messageId } = await bot.adapter.deliver(ref(bot), message);
    const [embed] = embedsOf(bot, messageId);
    expect(embed?.description).toMatch(/…and 19\d\d more sources\*\n\*\*Adds:\*\* APT41$/);
  });
});
