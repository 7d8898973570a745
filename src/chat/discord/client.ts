// The one place Discord clients are built, so every Client and REST always gets the API base and timeouts.

import { Client, GatewayIntentBits, type RateLimitData, REST, type RESTOptions } from "discord.js";

export const DEFAULT_DISCORD_API = "https://discord.com/api";

export interface DiscordConnectionOptions {
  /** `DISCORD_API_URL`: a REST proxy, or a fake in tests. The library appends `/v10` itself. */
  apiUrl?: string;
  /** Per-request REST timeout (default 10 s); a hung request fails instead of stalling the dispatcher. */
  restTimeoutMs?: number;
  /** Retries of 5xx, timeouts and resets inside the REST client (default 2). */
  restRetries?: number;
  /**
   * 429s up to this wait are waited out and retried by the REST client, which shares Discord's buckets across
   * the bot; longer ones throw, and delivery turns them into a transient DeliveryError with retryAfterMs.
   */
  maxRateLimitWaitMs?: number;
  /** Extra wait added to every rate-limit reset (the library default is 50 ms; tests use 0). */
  rateLimitOffsetMs?: number;
  /** How long READY waits for guilds to arrive (the library default is 15 s). */
  waitGuildTimeoutMs?: number;
  /**
   * `DISCORD_SHARD_COUNT`: the gateway shards of the whole bot. Discord sends each guild's events to one shard
   * (guild id >> 22, modulo the count), so replicas that run different shards share the guilds between them.
   */
  shardCount?: number;
  /** `DISCORD_SHARDS`: the shard ids this process runs (default: every shard of `shardCount`). */
  shards?: readonly number[];
}

/** `https://x/api/`, `https://x/api/v10` → `https://x/api`: the library appends the version. */
export function normaliseApiUrl(url: string | undefined): string {
  if (!url) return DEFAULT_DISCORD_API;
  return url.replace(/\/+$/, "").replace(/\/v\d+$/, "");
}

function restOptions(o: DiscordConnectionOptions): Partial<RESTOptions> {
  const maxWait = o.maxRateLimitWaitMs ?? 5_000;
  return {
    api: normaliseApiUrl(o.apiUrl),
    timeout: o.restTimeoutMs ?? 10_000,
    retries: o.restRetries ?? 2,
    offset: o.rateLimitOffsetMs ?? 50,
    rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > maxWait,
  };
}

/** A gateway client with the Guilds intent only: slash commands need no privileged intents. */
export function createDiscordClient(o: DiscordConnectionOptions = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: restOptions(o),
    waitGuildTimeout: o.waitGuildTimeoutMs ?? 15_000,
    ...shardOptions(o),
    // Belt and braces: every message sets this too, so article text can never ping anyone.
    allowedMentions: { parse: [] },
  });
}

/** discord.js's own sharding options: one shard (the library default) unless a count is set. */
export function shardOptions(o: Pick<DiscordConnectionOptions, "shardCount" | "shards">): {
  shardCount?: number;
  shards?: number[];
} {
  if (o.shardCount === undefined) return {};
  const all = Array.from({ length: o.shardCount }, (_, id) => id);
  return { shardCount: o.shardCount, shards: o.shards ? [...o.shards] : all };
}

/** A bare REST client (command registration needs no gateway). */
export function createDiscordRest(token: string, o: DiscordConnectionOptions = {}): REST {
  return new REST(restOptions(o)).setToken(token);
}
