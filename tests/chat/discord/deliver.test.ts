// Alerts through DiscordAdapter.deliver over REST to the fake: embeds within limits, no mentions, and the
// mapping of every failure to a transient or permanent DeliveryError.

import { afterEach, describe, expect, it } from "vitest";
import { DeliveryError, type Outbound, type StoryCard } from "../../../src/chat/types.js";
import { failures } from "./fake-discord.js";
import { APT40, alertOf, type Bot, reply, startBot, stopBot } from "./harness.js";

let bot: Bot | undefined;
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Embed = { title?: string; description?: string; author?: { name: string }; footer?: { text: string } };
type Body = { embeds: Embed[]; allowed_mentions: unknown; content?: string };

const ref = (b: Bot, channel = b.fake.guild.channels[0]) => `discord:${b.fake.guild.id}/${channel}`;
const MESSAGES = /^\/api\/v10\/channels\/\d+\/messages$/;

async function failureOf(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }
  throw new Error("expected a DeliveryError, but the delivery succeeded");
}

const huge: StoryCard = {
  ...APT40,
  id: "zz99",
  title: `@everyone ${"Very long headline ".repeat(40)}`,
  summary: `<@&123456> @here ${"Paragraph of an extremely long article. ".repeat(2000)}`,
  actors: Array.from({ length: 300 }, (_, i) => ({
    id: `A${i}`,
    name: `Actor number ${i}`,
    alias: `alias ${i}`,
  })),
  countries: Array.from({ length: 200 }, () => ({
    code: "NZ",
    name: "New Zealand",
    roles: ["mentioned"],
    flag: "🇳🇿",
  })),
  source: "x".repeat(3000),
  note: "n".repeat(5000),
};

describe("delivering alerts", () => {
  it("posts an alert as an embed with no mentions allowed, and returns the message id", async () => {
    bot = await startBot();
    const { messageId } = await bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() });
    const [req] = bot.fake.find("POST", MESSAGES);
    expect(req?.path).toBe(`/api/v10/channels/${bot.fake.guild.channels[0]}/messages`);
    expect(req?.status).toBe(200);
    expect(messageId).toMatch(/^\d+$/);
    const body = req?.body as Body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0]?.author?.name).toBe("New story · subscribed to country:NZ");
    expect(body.embeds[0]?.title).toBe(APT40.title);
    expect(body.embeds[0]?.footer?.text).toContain("2024-07-09");
  });

  it("truncates a huge article instead of having it rejected, pointing at the full story", async () => {
    bot = await startBot();
    await bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf(huge) });
    const req = bot.fake.find("POST", MESSAGES)[0];
    expect(req?.status).toBe(200); // the fake answers 400/50035 over any limit
    const e = (req?.body as Body | undefined)?.embeds[0] as Embed;
    expect(e.description).toMatch(/…\nfull story: \/cyber story zz99$/);
    expect(e.title?.length).toBeLessThanOrEqual(256);
  });

  it("fits a batch of many alerts and a notice with many stories", async () => {
    bot = await startBot();
    const alerts = Array.from({ length: 60 }, (_, i) => alertOf({ ...huge, id: `s${i}` }));
    const batch: Outbound = { kind: "batch", alerts, reason: "subscribed to actor:APT40" };
    const notice: Outbound = { kind: "notice", reply: reply({ stories: alerts.map((a) => a.story) }) };
    await bot.adapter.deliver(ref(bot), batch);
    await bot.adapter.deliver(ref(bot), notice);
    const [b, n] = bot.fake.find("POST", MESSAGES);
    expect([b?.status, n?.status]).toEqual([200, 200]);
    expect((b?.body as Body | undefined)?.embeds[0]?.description).toMatch(/…and \d+ more: \/cyber latest$/);
    expect((n?.body as Body | undefined)?.embeds.length).toBeGreaterThan(1);
  });

  it("proves the fake enforces the limits: an over-long embed is refused with 50035", async () => {
    bot = await startBot();
    const rest = bot.client().rest;
    const channel = bot.fake.guild.channels[0] as string;
    const err = await rest
      .post(`/channels/${channel}/messages`, { body: { embeds: [{ description: "x".repeat(4097) }] } })
      .catch((e: unknown) => e);
    expect((err as { code?: number }).code).toBe(50035);
  });
});

describe("rate limits and failures", () => {
  it("waits out a short 429 and retries (the REST client does it), and logs the 429", async () => {
    bot = await startBot();
    bot.fake.fail({ method: "POST", path: MESSAGES, respond: failures.rateLimited(0.05) });
    await bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() });
    const sends = bot.fake.find("POST", MESSAGES);
    expect(sends.map((r) => r.status)).toEqual([429, 200]);
    // The retry came after the Retry-After of 50 ms (times as the fake saw the two requests arrive).
    expect((sends[1]?.at ?? 0) - (sends[0]?.at ?? 0)).toBeGreaterThanOrEqual(45);
    expect(bot.logs.some((l) => l.msg === "discord: REST answered 429" && l.retryAfter === "0.05")).toBe(
      true,
    );
  });

  it("maps a 429 longer than maxRateLimitWaitMs to transient with retryAfterMs", async () => {
    bot = await startBot();
    bot.fake.fail({ method: "POST", path: MESSAGES, respond: failures.rateLimited(30) });
    const err = await failureOf(bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() }));
    expect(err).toMatchObject({ kind: "transient", code: "rate_limited", retryAfterMs: 30_000 });
    expect(bot.fake.find("POST", MESSAGES)).toHaveLength(1); // not retried in place
  });

  it("logs pre-emptive waits on an exhausted bucket (the rateLimited event)", async () => {
    bot = await startBot();
    const ok = { id: "1", channel_id: bot.fake.guild.channels[0] };
    const bucket = (remaining: number) => ({
      status: 200,
      body: ok,
      headers: {
        "X-RateLimit-Bucket": "b1",
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": String(remaining),
        "X-RateLimit-Reset-After": "0.1",
      },
    });
    // The first answer teaches the client the bucket's hash, the second empties that bucket.
    bot.fake.fail({ method: "POST", path: MESSAGES, respond: bucket(4) });
    bot.fake.fail({ method: "POST", path: MESSAGES, respond: bucket(0) });
    const alert: Outbound = { kind: "alert", alert: alertOf() };
    for (let i = 0; i < 3; i++) await bot.adapter.deliver(ref(bot), alert);
    const [, second, third] = bot.fake.find("POST", MESSAGES);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(80);
    const logged = bot.logs.find((l) => l.msg === "discord: REST rate limited");
    expect(logged).toMatchObject({ route: "/channels/:id/messages", global: false });
  });

  it.each([
    [404, 10003, "Unknown Channel"],
    [404, 10004, "Unknown Guild"],
    [403, 50001, "Missing Access"],
    [403, 50013, "Missing Permissions"],
  ])("maps %i / %i (%s) to a permanent DeliveryError", async (status, code, message) => {
    bot = await startBot();
    bot.fake.fail({ method: "POST", path: MESSAGES, respond: failures.api(status, code, message) });
    const err = await failureOf(bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() }));
    expect(err).toMatchObject({ kind: "permanent", code: String(code) });
  });

  it("maps a channel the fake does not know (real 404 route) to permanent 10003", async () => {
    bot = await startBot();
    const err = await failureOf(
      bot.adapter.deliver(ref(bot, "1299999999999999999"), { kind: "alert", alert: alertOf() }),
    );
    expect(err).toMatchObject({ kind: "permanent", code: "10003" });
  });

  it("retries a 5xx once inside the REST client, then maps a persistent one to transient", async () => {
    bot = await startBot();
    bot.fake.fail({ method: "POST", path: MESSAGES, respond: failures.server(502) });
    await bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() });
    expect(bot.fake.find("POST", MESSAGES).map((r) => r.status)).toEqual([502, 200]);

    bot.fake.fail({ method: "POST", path: MESSAGES, times: 2, respond: failures.server(503) });
    const err = await failureOf(bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() }));
    expect(err).toMatchObject({ kind: "transient", code: "http_503" });
  });

  it("maps a hung request to a transient timeout, quickly", async () => {
    bot = await startBot();
    bot.fake.fail({ method: "POST", path: MESSAGES, times: 2, respond: failures.hang });
    const err = await failureOf(bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() }));
    expect(err).toMatchObject({ kind: "transient", code: "timeout" });
    // The harness's restTimeoutMs (500) and one retry: two tries, then the timeout, not a hang until the test ends.
    expect(bot.fake.find("POST", MESSAGES)).toHaveLength(2);
  });

  it("maps a network failure to transient", async () => {
    bot = await startBot();
    // The fake's own base works for the gateway; send REST somewhere nothing listens (still 127.0.0.1).
    bot.client().rest.options.api = "http://127.0.0.1:9/api";
    const err = await failureOf(bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() }));
    expect(err.kind).toBe("transient");
    expect(err.code).toBe("ECONNREFUSED");
  });

  it("fails permanently for a guild the bot was removed from, without asking Discord", async () => {
    bot = await startBot();
    const fake = bot.fake;
    fake.dispatch("GUILD_DELETE", { id: fake.guild.id });
    await fake.waitFor(() => !bot?.client().guilds.cache.has(fake.guild.id));
    const err = await failureOf(bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() }));
    expect(err).toMatchObject({ kind: "permanent", code: "guild_removed" });
    expect(fake.find("POST", MESSAGES)).toHaveLength(0);
  });

  it("rejects malformed channel references permanently, and refuses to deliver before start", async () => {
    bot = await startBot();
    const guild = bot.fake.guild.id;
    // Another platform's, a channel id that is not a snowflake (digits), and references missing a part.
    for (const text of [
      "slack:T1/C2",
      `discord:${guild}/C2`,
      `discord:${guild}/12a`,
      "discord:/123",
      "discord:G1",
    ]) {
      const bad = await failureOf(bot.adapter.deliver(text, { kind: "alert", alert: alertOf() }));
      expect(bad, text).toMatchObject({ kind: "permanent", code: "bad_channel_ref" });
    }
    expect(bot.fake.find("POST", MESSAGES)).toHaveLength(0);
    await bot.adapter.stop();
    const stopped = await failureOf(bot.adapter.deliver(ref(bot), { kind: "alert", alert: alertOf() }));
    expect(stopped).toMatchObject({ kind: "transient", code: "not_started" });
  });
});
