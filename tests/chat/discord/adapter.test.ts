// The DiscordAdapter on the real discord.js client against the fake: ready, /cyber, autocomplete, permissions,
// Share, deferral and gateway resume.

import { MessageFlags } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { MANAGE_NEEDED } from "../../../src/chat/discord/interactions.js";
import { buildInteraction, MEMBER, MODERATOR } from "./fixtures.js";
import { type Bot, reply, scriptedHandler, startBot, stopBot } from "./harness.js";

let bot: Bot | undefined;
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Embed = { title?: string; description?: string; footer?: { text: string }; fields?: unknown[] };
type Callback = {
  type: number;
  data?: { embeds?: Embed[]; flags?: number; components?: unknown[] } & Record<string, unknown>;
};
const isEphemeral = (cb: Callback) => ((cb.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const shareIdOf = (cb: Callback) =>
  (cb.data?.components as Array<{ components: Array<{ custom_id: string }> }> | undefined)?.[0]?.components[0]
    ?.custom_id;

describe("connection", () => {
  it("reaches ready with the Guilds intent only and reports connected", async () => {
    bot = await startBot();
    expect(bot.client().isReady()).toBe(true);
    expect(bot.adapter.isConnected()).toBe(true);
    const identify = bot.fake.frames.find((f) => f.dir === "in" && f.op === 2);
    expect((identify?.d as { intents: number } | undefined)?.intents).toBe(1); // GatewayIntentBits.Guilds
    expect(bot.client().guilds.cache.has(bot.fake.guild.id)).toBe(true);
  });

  it("answers heartbeats, so the client never treats the link as a zombie", async () => {
    bot = await startBot({ fake: { heartbeatIntervalMs: 50 } });
    const fake = bot.fake;
    await fake.waitFor(() => fake.frames.filter((f) => f.dir === "in" && f.op === 1).length >= 3);
    expect(fake.frames.filter((f) => f.dir === "in" && f.op === 2)).toHaveLength(1); // no re-IDENTIFY
    expect(fake.frames.some((f) => f.dir === "in" && f.op === 6)).toBe(false); // no RESUME either
  });
});

describe("/cyber", () => {
  it("answers /cyber apt40 with the story embed through the interaction callback", async () => {
    const script = scriptedHandler();
    bot = await startBot({ handler: script.handler });
    const sent = bot.interact({ kind: "command", query: "apt40" });
    const cb = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback & { path: string };

    expect(cb.path).toContain(`/interactions/${sent.id}/${sent.token}/callback`);
    expect(cb.type).toBe(4);
    expect(cb.data?.allowed_mentions).toEqual({ parse: [] });
    const [header, story] = cb.data?.embeds ?? [];
    expect(header?.title).toBe("APT40: 1 story");
    expect(story?.title).toBe("APT40 targets government networks");
    expect(JSON.stringify(story?.fields)).toContain("Kryptonite Panda");
    expect(story?.footer?.text).toBe("2024-07-09 · advisory-apt40.md · /cyber story ab12cd");

    // The command layer got the same neutral command Slack would produce.
    expect(script.commands[0]).toMatchObject({
      platform: "discord",
      workspace: bot.fake.guild.id,
      channel: bot.fake.guild.channels[0],
      channelRef: `discord:${bot.fake.guild.id}/${bot.fake.guild.channels[0]}`,
      user: "1400000000000000001",
      userName: "analyst",
      text: "apt40",
    });
  });

  it("keeps lookups private by default, and public when replyVisibility is public", async () => {
    bot = await startBot();
    bot.interact({ kind: "command", query: "apt40" });
    const priv = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback;
    expect(isEphemeral(priv)).toBe(true);
    expect(shareIdOf(priv)).toMatch(/^cyber:share:\d+:apt40$/);
    await bot.stop();

    bot = await startBot({ config: { replyVisibility: "public" } });
    bot.interact({ kind: "command", query: "apt40" });
    const pub = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback;
    expect(isEphemeral(pub)).toBe(false);
    expect(pub.data?.components).toEqual([]);
  });

  it("keeps help and errors private even when replies are public", async () => {
    bot = await startBot({ config: { replyVisibility: "public" } });
    bot.interact({ kind: "command", query: "help" });
    bot.interact({ kind: "command", query: "boom" });
    const [help, error] = (await bot.fake.waitFor(() => {
      const cbs = bot?.fake.callbacks() ?? [];
      return cbs.length === 2 && cbs;
    })) as Callback[];
    expect(help && isEphemeral(help)).toBe(true);
    expect(error && isEphemeral(error)).toBe(true);
    const embed = error?.data?.embeds?.[0];
    expect(embed?.title).toBe("Sorry, something went wrong answering that");
    expect(embed?.footer?.text).toMatch(/^error id [0-9a-f]{8}$/);
    const logged = bot.logs.find((l) => l.msg === "command failed");
    expect(embed?.footer?.text).toBe(`error id ${logged?.errorId}`);
  });

  it("defers a slow answer within the window, then edits the original", async () => {
    const script = scriptedHandler({ held: true });
    bot = await startBot({ handler: script.handler, adapter: { deferAfterMs: 50 } });
    const sent = bot.interact({ kind: "command", query: "apt40" });
    const defer = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback;
    expect(defer.type).toBe(5);
    expect(isEphemeral(defer)).toBe(true);
    // The answer comes once the deferral is there.
    script.release();
    const edit = await bot.fake.waitFor(() => bot?.fake.find("PATCH", /\/messages\/%40original$/)[0]);
    expect(edit.path).toBe(
      `/api/v10/webhooks/${bot.fake.opts.applicationId}/${sent.token}/messages/%40original`,
    );
    const body = edit.body as { embeds: Embed[]; allowed_mentions: unknown };
    expect(body.embeds[1]?.title).toBe("APT40 targets government networks");
    expect(body.allowed_mentions).toEqual({ parse: [] });
    // In the fake's request log, the deferral came first.
    const log = bot.fake.requests;
    expect(log.findIndex((r) => r.path.endsWith("/callback"))).toBeLessThan(log.indexOf(edit));
  });

  it("turns a deferred public answer that became an error into a private follow-up", async () => {
    const script = scriptedHandler({
      held: true,
      answer: () => reply({ kind: "error", headline: "No such actor", stories: [], private: true }),
    });
    bot = await startBot({
      handler: script.handler,
      config: { replyVisibility: "public" },
      adapter: { deferAfterMs: 30 },
    });
    bot.interact({ kind: "command", query: "apt999" });
    await bot.fake.waitFor(() => bot?.fake.callbacks()[0]);
    script.release();
    const follow = await bot.fake.waitFor(
      () => bot?.fake.find("POST", /^\/api\/v10\/webhooks\/\d+\/[^/]+$/)[0],
    );
    const defer = bot.fake.callbacks()[0] as Callback;
    expect(defer.type).toBe(5);
    expect(isEphemeral(defer)).toBe(false);
    expect(bot.fake.find("DELETE", /\/messages\/%40original$/)).toHaveLength(1);
    expect(((follow.body as { flags: number }).flags & MessageFlags.Ephemeral) !== 0).toBe(true);
  });
});

describe("autocomplete", () => {
  it("offers APT40 for 'kryp' as autocomplete choices", async () => {
    const script = scriptedHandler();
    bot = await startBot({ handler: script.handler });
    bot.interact({ kind: "autocomplete", partial: "kryp" });
    const cb = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback;
    expect(cb.type).toBe(8);
    expect(cb.data?.choices).toEqual([{ name: "APT40 (Kryptonite Panda)", value: "apt40" }]);
    expect(script.partials).toEqual(["kryp"]);
    expect(script.commands).toHaveLength(0);
  });

  it("answers with no choices rather than failing when suggest throws", async () => {
    const handler = {
      ...scriptedHandler().handler,
      suggest: () => {
        throw new Error("index not loaded");
      },
    };
    bot = await startBot({ handler });
    bot.interact({ kind: "autocomplete", partial: "apt" });
    const cb = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback;
    expect(cb.data?.choices).toEqual([]);
  });
});

describe("permissions", () => {
  it("refuses subscribe without Manage Channels, privately and politely", async () => {
    const script = scriptedHandler();
    bot = await startBot({ handler: script.handler, config: { replyVisibility: "public" } });
    bot.interact({ kind: "command", query: "subscribe country:nz", permissions: MEMBER });
    const cb = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback;
    expect(isEphemeral(cb)).toBe(true);
    expect(cb.data?.embeds?.[0]?.description).toBe(`You need ${MANAGE_NEEDED}.`);
    const decision = await script.commands[0]?.canManageSubscriptions();
    expect(decision).toEqual({ allowed: false, needed: MANAGE_NEEDED });
  });

  it("lets subscribe through with Manage Channels (or Administrator)", async () => {
    const script = scriptedHandler();
    bot = await startBot({ handler: script.handler, config: { replyVisibility: "public" } });
    bot.interact({ kind: "command", query: "subscribe country:nz", permissions: MODERATOR });
    bot.interact({ kind: "command", query: "unsubscribe country:nz", permissions: 8n }); // Administrator
    const cbs = (await bot.fake.waitFor(() => {
      const all = bot?.fake.callbacks() ?? [];
      return all.length === 2 && all;
    })) as Callback[];
    for (const cb of cbs) expect(cb.data?.embeds?.[0]?.title).toBe("Subscribed to country:NZ");
    expect(cbs.every((cb) => !isEphemeral(cb))).toBe(true);
  });
});

describe("Share button", () => {
  it("posts the private answer publicly, and says so when the button has expired", async () => {
    const script = scriptedHandler();
    bot = await startBot({ handler: script.handler });
    bot.interact({ kind: "command", query: "apt40" });
    const first = (await bot.fake.waitFor(() => bot?.fake.callbacks()[0])) as Callback;
    const customId = shareIdOf(first) as string;

    bot.interact({ kind: "button", customId });
    const shared = (await bot.fake.waitFor(() => bot?.fake.callbacks()[1])) as Callback;
    expect(shared.type).toBe(4);
    expect(isEphemeral(shared)).toBe(false);
    expect(shared.data?.components).toEqual([]);
    expect(shared.data?.allowed_mentions).toEqual({ parse: [] });
    expect(shared.data?.embeds?.slice(1)).toEqual(first.data?.embeds?.slice(1));
    expect(shared.data?.embeds?.[0]?.footer?.text).toBe("shared by analyst");
    expect(script.commands).toHaveLength(1); // shared from memory, not re-run

    bot.interact({ kind: "button", customId: "cyber:share:1999999999999999999:country nz" });
    const expired = (await bot.fake.waitFor(() => bot?.fake.callbacks()[2])) as Callback;
    expect(isEphemeral(expired)).toBe(true);
    expect(expired.data?.embeds?.[0]?.description).toBe("Run /cyber country nz again to share the answer.");
  });
});

describe("gateway resilience", () => {
  it("resumes after the gateway closes with 4000 and keeps answering", async () => {
    bot = await startBot();
    const fake = bot.fake;
    fake.closeGateway(4000);
    const resume = await fake.waitFor(() => fake.frames.find((f) => f.dir === "in" && f.op === 6));
    expect(resume.conn).toBe(2);
    await fake.waitFor(() => bot?.adapter.isConnected() && fake.frames.some((f) => f.t === "RESUMED"));
    expect(fake.frames.filter((f) => f.dir === "in" && f.op === 2)).toHaveLength(1); // resumed, not re-identified

    bot.interact({ kind: "command", query: "apt40" });
    const cb = (await fake.waitFor(() => fake.callbacks()[0])) as Callback;
    expect(cb.data?.embeds?.[1]?.title).toBe("APT40 targets government networks");
    expect(bot.logs.some((l) => l.msg === "discord: gateway down")).toBe(true);
  });

  it("answers a command that arrived while disconnected, replayed on resume", async () => {
    bot = await startBot();
    const fake = bot.fake;
    fake.closeGateway(4000);
    await fake.waitFor(() => fake.openSockets() === 0);
    bot.interact({ kind: "command", query: "apt40" }); // queued in the fake's history
    const cb = (await fake.waitFor(() => fake.callbacks()[0])) as Callback;
    expect(cb.type).toBe(4);
    expect(fake.frames.filter((f) => f.dir === "in" && f.op === 6)).toHaveLength(1);
  });
});

describe("fixtures", () => {
  it("refuses to build an INTERACTION_CREATE discord.js could not parse", () => {
    const base = {
      applicationId: "1100000000000000001",
      guildId: "1200000000000000001",
      channelId: "1200000000000000011",
    };
    expect(() => buildInteraction({ ...base, kind: "command", query: "apt40" })).not.toThrow();
    expect(() =>
      buildInteraction({ ...base, kind: "command", overrides: { entitlements: undefined } }),
    ).toThrow(/entitlements/);
    expect(() =>
      buildInteraction({
        ...base,
        kind: "autocomplete",
        partial: "x",
        overrides: { authorizing_integration_owners: null },
      }),
    ).toThrow(/authorizing_integration_owners/);
  });
});
