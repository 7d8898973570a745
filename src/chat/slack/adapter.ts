// SlackAdapter: the ChatAdapter for Slack, over Socket Mode or the HTTP receiver of the real Bolt client.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type App, type SocketModeReceiver, webApi } from "@slack/bolt";
import { ConfigError, CyberbriefError, errorMessage } from "../../core/errors.js";
import { parseChannelRef } from "../../core/platform.js";
import type { Logger } from "../../log/logger.js";
import {
  type ChatAdapter,
  type CommandHandler,
  type Delivered,
  DeliveryError,
  type Outbound,
} from "../types.js";
import { buildSlackApp, DEFAULT_SLACK_API_URL, type SlackConnection } from "./app.js";
import { DIGEST_EVENT_TYPE, type DigestMetadata, renderDigest } from "./digest.js";
import { EDIT_GONE, startupError, toDeliveryError } from "./errors.js";
import { registerListeners } from "./listeners.js";
import { subscriptionPermission } from "./permissions.js";
import { renderOutbound, type SlackMessage } from "./render.js";
import { type SlackAdapterOptions, slackSettingsProblems } from "./settings.js";
import { postSourceReply } from "./thread.js";

// main/adapters.ts checks the settings through the module it loads for the adapter.
export { isSlackConfigured, slackSettingsProblems } from "./settings.js";

export class SlackAdapter implements ChatAdapter {
  readonly platform = "slack" as const;
  private readonly app: App;
  private readonly socket: SocketModeReceiver | undefined;
  private readonly log: Logger;
  private server: Server | undefined;
  private socketConnected = false;
  private started = false;
  /** A socket connection was tried (it may have failed, or be retrying) and stop() has not run since. */
  private tried = false;
  private listening = false;

  /** Throws ConfigError naming the missing variable(s) when the settings are incomplete. */
  constructor(private readonly opts: SlackAdapterOptions) {
    const problems = slackSettingsProblems(opts.config);
    if (problems.length > 0) throw new ConfigError(problems);
    const { botToken, appToken, signingSecret, apiUrl } = opts.config;
    // Socket Mode wins when both are set: it needs no public URL.
    const connection: SlackConnection = appToken
      ? { mode: "socket", appToken }
      : { mode: "http", signingSecret: signingSecret as string };
    // The caller binds `module` (chooseAdapters); binding it again here would print the key twice per line.
    this.log = opts.log;
    const built = buildSlackApp({
      botToken: botToken as string,
      connection,
      apiUrl,
      log: this.log,
      retryConfig: opts.retryConfig,
      timeoutMs: opts.timeoutMs,
      socket: opts.socket,
    });
    this.app = built.app;
    this.socket = built.socket;
    this.app.error(async (err) => {
      this.log.error({ code: err.code, err: errorMessage(err) }, "slack app error");
      opts.onError?.(err);
    });
  }

  get mode(): SlackConnection["mode"] {
    return this.socket ? "socket" : "http";
  }

  /** The HTTP receiver's port once started (useful with port 0); undefined in Socket Mode. */
  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === "object" ? (address as AddressInfo).port : undefined;
  }

  /** May be called again after a PlatformUnreachableError; a refused token or a taken port is fatal. */
  async start(handler: CommandHandler): Promise<void> {
    if (this.started)
      throw new CyberbriefError("slack/already-started", "The Slack adapter is already started");
    const { config } = this.opts;
    if (!this.listening) {
      this.listening = true;
      const permissionOptions = { policy: config.permissionPolicy, allowList: config.allowList };
      registerListeners(this.app, {
        handler,
        visibility: config.replyVisibility,
        permission: (user) =>
          subscriptionPermission({ ...permissionOptions, client: this.app.client, log: this.log }, user),
        log: this.log,
      });
      this.watchSocket();
    }
    const apiUrl = config.apiUrl ?? DEFAULT_SLACK_API_URL;
    try {
      await this.app.init();
    } catch (err) {
      throw startupError("SLACK_BOT_TOKEN", err, apiUrl);
    }
    if (this.socket) {
      // Set here, just before connecting: a stop() during the auth check above must not miss this connection.
      this.tried = true;
      try {
        await this.app.start();
      } catch (err) {
        throw startupError("SLACK_APP_TOKEN", err, apiUrl);
      }
      this.started = true;
      this.log.info("connected to Slack (Socket Mode)");
      return;
    }
    try {
      this.server = await this.app.start({ port: config.port, host: this.opts.host });
    } catch (err) {
      throw new CyberbriefError(
        "slack/listen",
        `Could not listen for Slack requests on port ${config.port} (SLACK_PORT): ${errorMessage(err)}`,
        { cause: err },
      );
    }
    this.started = true;
    this.log.info({ port: this.port }, "listening for Slack requests (HTTP mode) on /slack/events");
  }

  private watchSocket(): void {
    const client = this.socket?.client;
    client?.on("connected", () => {
      this.socketConnected = true;
    });
    for (const state of ["reconnecting", "disconnecting", "disconnected"]) {
      client?.on(state, () => {
        this.socketConnected = false;
      });
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.socket && this.tried) {
      this.tried = false;
      // app.stop() resolves before the socket has closed; disconnect() waits for it, so no timer outlives us.
      // It also ends a connection attempt still under way.
      await this.socket.client.disconnect();
    } else if (this.server) {
      this.server = undefined;
      await this.app.stop();
    }
  }

  isConnected(): boolean {
    return this.socket ? this.socketConnected : this.server?.listening === true;
  }

  async deliver(channelRef: string, message: Outbound): Promise<Delivered> {
    const ref = parseChannelRef(channelRef);
    if (ref?.platform !== "slack") {
      throw new DeliveryError("permanent", "bad_channel_ref", `Not a Slack channel reference: ${channelRef}`);
    }
    const { channel } = ref;
    if (message.kind === "digest") return this.postDigest(channel, message);
    if (message.kind === "source") return postSourceReply(this.app.client, this.log, channel, message);
    if (message.kind === "update" && message.messageId) {
      const edited = await this.edit(channel, message.messageId, message);
      if (edited) return edited;
    }
    const { text, blocks } = renderOutbound(
      message.kind === "update" ? { kind: "update", alert: message.alert } : message,
    );
    return this.post({ channel, text, blocks });
  }

  /** Posts one message without link previews; a failure becomes a DeliveryError. */
  private async post(
    message: SlackMessage & { channel: string; metadata?: DigestMetadata },
  ): Promise<Delivered> {
    try {
      const res = await this.app.client.chat.postMessage({
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { messageId: res.ts ?? "" };
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /** A digest carries its key in the message metadata, for `findDigest`. */
  private async postDigest(
    channel: string,
    message: Extract<Outbound, { kind: "digest" }>,
  ): Promise<Delivered> {
    const { text, blocks, metadata } = renderDigest(message.digest);
    return this.post({ channel, text, blocks, metadata });
  }

  /**
   * The digest `key` among the channel's latest 100 messages (conversations.history with their metadata; needs
   * the channels:history scope, groups:history for private channels), or null.
   */
  async findDigest(channelRef: string, key: string): Promise<Delivered | null> {
    const ref = parseChannelRef(channelRef);
    if (ref?.platform !== "slack") return null;
    try {
      const res = await this.app.client.conversations.history({
        channel: ref.channel,
        limit: 100,
        include_all_metadata: true,
      });
      const found = res.messages?.find(
        (m) =>
          m.metadata?.event_type === DIGEST_EVENT_TYPE &&
          (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      return found?.ts ? { messageId: found.ts } : null;
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /** Edits a posted alert in place; null when the message is gone or no longer editable (post instead). */
  private async edit(channel: string, ts: string, message: Outbound): Promise<Delivered | null> {
    const { text, blocks } = renderOutbound(message);
    try {
      const res = await this.app.client.chat.update({ channel, ts, text, blocks });
      return { messageId: res.ts ?? ts };
    } catch (err) {
      if (err instanceof webApi.WebAPIPlatformError && EDIT_GONE.has(err.data.error)) return null;
      throw toDeliveryError(err);
    }
  }
}
