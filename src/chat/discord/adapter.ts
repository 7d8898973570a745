// DiscordAdapter: the ChatAdapter seam on the real discord.js client (gateway for commands, REST for alerts).

import {
  type Client,
  Events,
  type RESTGetAPIChannelMessagesResult,
  type RESTPostAPIChannelMessageResult,
  Routes,
} from "discord.js";
import { ConfigError, CyberbriefError } from "../../core/errors.js";
import { parseChannelRef } from "../../core/platform.js";
import {
  type ChatAdapter,
  type CommandHandler,
  type Delivered,
  DeliveryError,
  type Outbound,
} from "../types.js";
import {
  createDiscordClient,
  type DiscordConnectionOptions,
  normaliseApiUrl,
  shardOptions,
} from "./client.js";
import { registerDiscordCommands } from "./commands.js";
import { digestMarker } from "./digest.js";
import { isUnknownMessage, toDeliveryError, toStartupError } from "./errors.js";
import { type DiscordAdapterOptions, loginReady, startProblems, watchRateLimits } from "./gateway.js";
import { onInteraction, ShareStore } from "./interactions.js";
import { renderOutbound } from "./render.js";
import { ThreadReplies } from "./thread.js";

/** A Discord channel id is a snowflake: digits only. */
const SNOWFLAKE = /^\d+$/;

export class DiscordAdapter implements ChatAdapter {
  readonly platform = "discord" as const;
  private client: Client | undefined;
  private connected = false;
  // Guilds the bot was removed from while running: sends there fail permanently without asking Discord.
  private readonly removedGuilds = new Set<string>();
  private readonly shares = new ShareStore();
  private readonly threads: ThreadReplies;
  private registered = false;

  constructor(private readonly opts: DiscordAdapterOptions) {
    this.threads = new ThreadReplies(opts.log);
  }

  private get conn(): DiscordConnectionOptions {
    const o = this.opts;
    return {
      apiUrl: o.config.apiUrl,
      restTimeoutMs: o.restTimeoutMs,
      restRetries: o.restRetries,
      maxRateLimitWaitMs: o.maxRateLimitWaitMs,
      rateLimitOffsetMs: o.rateLimitOffsetMs,
      waitGuildTimeoutMs: o.waitGuildTimeoutMs,
      shardCount: o.config.shardCount,
      shards: o.config.shards,
    };
  }

  async start(handler: CommandHandler): Promise<void> {
    const { token, applicationId, guildId, apiUrl, registerOnStart } = this.opts.config;
    const problems = startProblems(this.opts.config);
    if (!token || problems.length > 0) throw new ConfigError(problems);

    if (registerOnStart && !this.registered) await this.register(token, applicationId, guildId);
    const client = (this.opts.createClient ?? createDiscordClient)(this.conn);
    this.client = client;
    this.listen(client, handler);
    try {
      await this.login(client, token);
    } catch (err) {
      this.client = undefined;
      await client.destroy();
      throw toStartupError(err, normaliseApiUrl(apiUrl));
    }
    if (applicationId && client.application && client.application.id !== applicationId) {
      this.opts.log.warn(
        { configured: applicationId, actual: client.application.id },
        "discord: DISCORD_APPLICATION_ID does not match the token's application; /cyber may be registered elsewhere",
      );
    }
    const { shards, shardCount } = this.conn;
    this.opts.log.info(
      {
        user: client.user?.tag,
        guilds: client.guilds.cache.size,
        ...(shardCount ? { shards, shardCount } : {}),
      },
      "discord: connected",
    );
  }

  // A rejected token stops start-up; any other registration failure is logged, as /cyber may already exist.
  private async register(token: string, applicationId: string | undefined, guildId: string | undefined) {
    try {
      const r = await registerDiscordCommands({ token, applicationId, guildId, ...this.conn });
      this.registered = true;
      this.opts.log.info({ scope: r.scope, guildId: r.guildId }, "discord: /cyber registered");
    } catch (err) {
      if (err instanceof CyberbriefError && err.code === "discord/token-rejected") throw err;
      this.opts.log.warn({ err }, "discord: could not register /cyber; continuing with what is registered");
    }
  }

  private login(client: Client, token: string): Promise<unknown> {
    // Discord lets a small bot start one shard per 5 s: each further shard this process runs gets that long more.
    const ms =
      this.opts.readyTimeoutMs ??
      30_000 + 6_000 * Math.max(0, (shardOptions(this.conn).shards?.length ?? 1) - 1);
    return loginReady(client, token, ms);
  }

  private listen(client: Client, handler: CommandHandler): void {
    const log = this.opts.log;
    const ctx = {
      handler,
      log,
      visibility: this.opts.config.replyVisibility,
      deferAfterMs: this.opts.deferAfterMs ?? 1_500,
      shares: this.shares,
    };
    client.on(Events.InteractionCreate, (i) => void onInteraction(i, ctx));
    client.on(Events.Error, (err) => log.error({ err }, "discord: client error"));
    client.on(Events.Warn, (msg) => log.warn({ msg }, "discord: client warning"));
    client.on(Events.ClientReady, () => this.setConnected(true, "ready"));
    client.on(Events.ShardResume, (_id, replayed) =>
      this.setConnected(true, `resumed, ${replayed} replayed`),
    );
    client.on(Events.ShardReconnecting, () => this.setConnected(false, "reconnecting"));
    client.on(Events.ShardDisconnect, (ev) => this.setConnected(false, `closed for good (${ev.code})`));
    client.on(Events.GuildDelete, (g) => {
      this.removedGuilds.add(g.id);
      log.info({ guild: g.id }, "discord: removed from a guild");
    });
    client.on(Events.GuildCreate, (g) => this.removedGuilds.delete(g.id));
    watchRateLimits(client, log);
  }

  private setConnected(up: boolean, why: string): void {
    if (up !== this.connected)
      this.opts.log.info({ why }, up ? "discord: gateway up" : "discord: gateway down");
    this.connected = up;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.destroy();
  }

  isConnected(): boolean {
    return this.client !== undefined && this.connected;
  }

  /** Posts through REST directly, so the channel need not be cached and a resuming gateway does not matter. */
  async deliver(channelRef: string, message: Outbound): Promise<Delivered> {
    const ref = parseChannelRef(channelRef);
    if (ref?.platform !== "discord" || !SNOWFLAKE.test(ref.channel))
      throw new DeliveryError(
        "permanent",
        "bad_channel_ref",
        `Not a Discord channel reference: ${channelRef}`,
      );
    const { workspace: guild, channel } = ref;
    if (!this.client)
      throw new DeliveryError("transient", "not_started", "The Discord adapter is not running");
    if (this.removedGuilds.has(guild)) {
      throw new DeliveryError("permanent", "guild_removed", `The bot was removed from guild ${guild}`);
    }
    try {
      if (message.kind === "source")
        return { messageId: await this.threads.post(this.client.rest, channel, message) };
      if (message.kind === "update" && message.messageId) {
        const edited = await this.edit(channel, message.messageId, message);
        if (edited) return edited;
      }
      const { embeds, components } = renderOutbound(
        message.kind === "update" ? { kind: "update", alert: message.alert } : message,
      );
      const body = { embeds, components, allowed_mentions: { parse: [] } };
      const sent = (await this.client.rest.post(Routes.channelMessages(channel), {
        body,
      })) as RESTPostAPIChannelMessageResult;
      return { messageId: sent.id };
    } catch (err) {
      const failure = toDeliveryError(err);
      // A refused token fails every send alike: the dispatcher logs it once for the platform.
      const level = failure.kind === "auth" ? "debug" : "warn";
      this.opts.log[level](
        { channelRef, kind: failure.kind, code: failure.code },
        "discord: delivery failed",
      );
      throw failure;
    }
  }

  /**
   * The digest `key` among the channel's latest 100 messages: one of the bot's own whose embed footer carries
   * the digest's marker (needs Read Message History), or null.
   */
  async findDigest(channelRef: string, key: string): Promise<Delivered | null> {
    const ref = parseChannelRef(channelRef);
    const client = this.client;
    if (ref?.platform !== "discord" || !SNOWFLAKE.test(ref.channel) || !client) return null;
    const marker = digestMarker(key);
    try {
      const messages = (await client.rest.get(Routes.channelMessages(ref.channel), {
        query: new URLSearchParams({ limit: "100" }),
      })) as RESTGetAPIChannelMessagesResult;
      const found = messages.find(
        (m) =>
          m.author.id === client.user?.id && m.embeds.some((e) => e.footer?.text.includes(marker) === true),
      );
      return found ? { messageId: found.id } : null;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /** Edits a posted alert in place; null when it was deleted (a new message is posted instead). */
  private async edit(channel: string, messageId: string, message: Outbound): Promise<Delivered | null> {
    const { embeds, components } = renderOutbound(message);
    try {
      await this.client?.rest.patch(Routes.channelMessage(channel, messageId), {
        body: { embeds, components, allowed_mentions: { parse: [] } },
      });
      return { messageId };
    } catch (err) {
      if (isUnknownMessage(err)) return null;
      throw err;
    }
  }
}
