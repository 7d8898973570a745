// The one place Bolt Apps are built, so every App and every socket client gets the configured Web API base URL.

import { App, type Logger as BoltLogger, LogLevel, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { Logger } from "../../log/logger.js";

export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";

/**
 * The Web API client's own retries stay small: the alert dispatcher owns retry policy, and a command reply
 * must not sit in a half-hour backoff. 429s are never retried here (`rejectRateLimitedCalls`).
 */
export const DEFAULT_RETRY: webApi.RetryOptions = { retries: 1, factor: 1, minTimeout: 500, maxTimeout: 500 };
export const DEFAULT_TIMEOUT_MS = 10_000;

export type SlackConnection = { mode: "socket"; appToken: string } | { mode: "http"; signingSecret: string };

/** Socket Mode tuning; tests shorten the timeouts so a closed fake is noticed at once. */
export interface SocketTuning {
  clientPingTimeoutMs?: number;
  serverPingTimeoutMs?: number;
  /** Retries of `apps.connections.open`; the socket client's own patient default when not given. */
  retryConfig?: webApi.RetryOptions;
  autoReconnect?: boolean;
}

export interface SlackAppOptions {
  botToken: string;
  connection: SlackConnection;
  /** Web API base (GovSlack, a proxy, a test fake); Slack's public API when not given. */
  apiUrl?: string;
  log: Logger;
  retryConfig?: webApi.RetryOptions;
  timeoutMs?: number;
  socket?: SocketTuning;
}

export interface BuiltSlackApp {
  app: App;
  /** Present in Socket Mode: its client reports connection state and must be awaited on shutdown. */
  socket?: SocketModeReceiver;
}

export function buildSlackApp(opts: SlackAppOptions): BuiltSlackApp {
  const logger = boltLogger(opts.log);
  const slackApiUrl = opts.apiUrl ?? DEFAULT_SLACK_API_URL;
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl,
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: true,
    timeout,
  };
  // deferInitialization: the constructor does no I/O; `auth.test` runs in `app.init()`, where start-up can
  // report a bad token clearly instead of failing later inside the first command.
  const common = {
    token: opts.botToken,
    logger,
    clientOptions,
    deferInitialization: true,
    convoStore: false as const,
  };
  if (opts.connection.mode === "http") {
    return { app: new App({ ...common, signingSecret: opts.connection.signingSecret }) };
  }
  const tuning = opts.socket ?? {};
  // The receiver does not inherit the App's client options: it gets its own object (the socket client
  // mutates it) with the same base URL, and no `headers`, which would replace its app-token Authorization.
  const socketClientOptions: webApi.WebClientOptions = { slackApiUrl, timeout };
  if (tuning.retryConfig) socketClientOptions.retryConfig = tuning.retryConfig;
  const receiver = new SocketModeReceiver({
    appToken: opts.connection.appToken,
    logger,
    ...(tuning.clientPingTimeoutMs !== undefined && { clientPingTimeout: tuning.clientPingTimeoutMs }),
    ...(tuning.serverPingTimeoutMs !== undefined && { serverPingTimeout: tuning.serverPingTimeoutMs }),
    ...(tuning.autoReconnect !== undefined && { autoReconnectEnabled: tuning.autoReconnect }),
    installerOptions: { clientOptions: socketClientOptions },
  });
  return { app: new App({ ...common, receiver }), socket: receiver };
}

/** Bolt, the web client and the socket client all log through this, into the adapter's pino logger as given. */
export function boltLogger(child: Logger): BoltLogger {
  const format = (parts: unknown[]) =>
    parts
      .map((p) => {
        if (typeof p === "string") return p;
        if (p instanceof Error) return p.message;
        try {
          return JSON.stringify(p);
        } catch {
          return String(p);
        }
      })
      .join(" ");
  return {
    debug: (...parts: unknown[]) => child.debug(format(parts)),
    info: (...parts: unknown[]) => child.info(format(parts)),
    warn: (...parts: unknown[]) => child.warn(format(parts)),
    error: (...parts: unknown[]) => child.error(format(parts)),
    // The pino level is the one setting; Bolt's attempts to set its own are ignored.
    setLevel: () => {},
    getLevel: () => {
      if (child.isLevelEnabled("debug")) return LogLevel.DEBUG;
      if (child.isLevelEnabled("info")) return LogLevel.INFO;
      if (child.isLevelEnabled("warn")) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: () => {},
  };
}
