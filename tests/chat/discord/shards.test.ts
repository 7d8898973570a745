// Discord sharding: DISCORD_SHARD_COUNT and DISCORD_SHARDS through discord.js's own shard options. Two replicas
// that run different shards of one bot split the guilds: each gets only its guilds' events, and a slash command
// is answered by the replica whose shard owns the guild. The fake gateway serves each shard its own session.

import { afterEach, describe, expect, it } from "vitest";
import type { ChatCommand } from "../../../src/chat/types.js";
import { FakeDiscord, shardOf } from "./fake-discord.js";
import { buildInteraction } from "./fixtures.js";
import { makeAdapter, reply, scriptedHandler } from "./harness.js";

/** A guild id on `shard` of `count`: Discord puts a guild on shard (id >> 22) % count. */
function guildOn(shard: number, count: number, n: number): string {
  const id = ((1_250_000_000_000n + BigInt(n * count + shard)) << 22n) + 7n;
  expect(shardOf(String(id), count)).toBe(shard);
  return String(id);
}

const guilds = [0, 1, 2, 3].map((n) => ({
  id: guildOn(n % 2, 2, n),
  name: `Guild ${n}`,
  channels: [String(1_500_000_000_000_000_000n + BigInt(n))],
}));

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function replica(fake: FakeDiscord, name: string, config: { shardCount?: number; shards?: number[] }) {
  const asked: ChatCommand[] = [];
  const { handler } = scriptedHandler({
    answer: (c) => {
      asked.push(c);
      return reply({ kind: "notice", headline: `answered by ${name}`, text: [], stories: [] });
    },
  });
  const bot = makeAdapter(fake, { config });
  await bot.adapter.start(handler);
  cleanup.push(async () => {
    await bot.adapter.stop();
    expect(bot.errors).toEqual([]);
  });
  const client = bot.clients.at(-1);
  if (!client) throw new Error("no client");
  return { ...bot, asked, client };
}

function ask(fake: FakeDiscord, guild: (typeof guilds)[number]) {
  const payload = buildInteraction({
    kind: "command",
    query: "apt40",
    applicationId: fake.opts.applicationId,
    guildId: guild.id,
    channelId: guild.channels[0] as string,
  });
  fake.interact(payload);
  return payload;
}

describe("Discord shards", () => {
  it("two replicas running shard 0 and shard 1 of 2 split the guilds and answer only their own", async () => {
    const fake = await FakeDiscord.start({ guilds, shards: 2 });
    cleanup.push(() => fake.close());
    const a = await replica(fake, "replica A", { shardCount: 2, shards: [0] });
    const b = await replica(fake, "replica B", { shardCount: 2, shards: [1] });

    expect(fake.shardsConnected()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...a.client.guilds.cache.keys()].sort()).toEqual([guilds[0]?.id, guilds[2]?.id].sort());
    expect([...b.client.guilds.cache.keys()].sort()).toEqual([guilds[1]?.id, guilds[3]?.id].sort());

    for (const g of guilds) ask(fake, g);
    await fake.waitFor(() => fake.callbacks().length === 4);
    expect(a.asked.map((c) => c.channelRef).sort()).toEqual(
      [guilds[0], guilds[2]].map((g) => `discord:${g?.id}/${g?.channels[0]}`).sort(),
    );
    expect(b.asked.map((c) => c.channelRef).sort()).toEqual(
      [guilds[1], guilds[3]].map((g) => `discord:${g?.id}/${g?.channels[0]}`).sort(),
    );
    const headlines = JSON.stringify(fake.callbacks().map((c) => c.data));
    expect(headlines).toContain("answered by replica A");
    expect(headlines).toContain("answered by replica B");
  });

  it("a shard count alone runs every shard of it in one process", async () => {
    const fake = await FakeDiscord.start({ guilds, shards: 2 });
    cleanup.push(() => fake.close());
    const one = await replica(fake, "the only replica", { shardCount: 2 });
    expect(fake.shardsConnected()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(one.client.guilds.cache.size).toBe(4);
    for (const g of guilds) ask(fake, g);
    await fake.waitFor(() => one.asked.length === 4);
  });

  it("without a shard count the bot runs one shard that gets every guild", async () => {
    const fake = await FakeDiscord.start({ guilds });
    cleanup.push(() => fake.close());
    const one = await replica(fake, "unsharded", {});
    expect(fake.shardsConnected()).toEqual([[0, 1]]);
    expect(one.client.guilds.cache.size).toBe(4);
  });
});
