// Discord start-up: the adapter's options, the settings start() checks, the gateway login that waits for READY,
// and the REST rate-limit warnings.

import { type Client, Events, RESTEvents } from "discord.js";
import type { Config } from "../../config/schema.js";
import type { Logger } from "../../log/logger.js";
import { PlatformUnreachableError } from "../types.js";
import type { DiscordConnectionOptions } from "./client.js";
import { tokenRejected } from "./errors.js";

export interface DiscordAdapterOptions extends Omit<DiscordConnectionOptions, "apiUrl"> {
  config: Config["discord"];
  log: Logger;
  /** Defer a slash command when the handler has not answered by then (default 1.5 s of Discord's 3 s). */
  deferAfterMs?: number;
  /** How long start() waits for the gateway's READY (default 30 s). */
  readyTimeoutMs?: number;
  /** Builds the client (default createDiscordClient); tests wrap it to listen to the client's events. */
  createClient?: (o: DiscordConnectionOptions) => Client;
}

/** Every problem with the settings start() needs, each naming the variable to set; empty when they are usable. */
export function startProblems(config: Config["discord"]): string[] {
  const { token, applicationId, registerOnStart } = config;
  const problems: string[] = [];
  if (!token)
    problems.push("DISCORD_TOKEN is not set: put the bot token from the Discord Developer Portal in it");
  if (registerOnStart && !applicationId) {
    problems.push(
      "DISCORD_APPLICATION_ID is not set: it is needed to register /cyber at start-up (or set DISCORD_REGISTER_ON_START=false)",
    );
  }
  return problems;
}

/** Logs in and waits up to `ms` for the gateway's READY; a close that cannot recover rejects at once. */
export function loginReady(client: Client, token: string, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new PlatformUnreachableError(
            "discord/not-ready",
            `The Discord gateway did not get ready in ${ms} ms`,
          ),
        ),
      ms,
    );
    client.once(Events.ClientReady, () => resolve());
    // Unrecoverable closes during start-up: say which setting is wrong instead of waiting for the timeout.
    client.once(Events.ShardDisconnect, (ev) => {
      if (ev.code === 4004) reject(tokenRejected("gateway close 4004"));
      else
        reject(
          new PlatformUnreachableError("discord/gateway", `The Discord gateway closed with code ${ev.code}`),
        );
    });
  });
  return Promise.all([client.login(token), ready]).finally(() => clearTimeout(timer));
}

/** Warns of REST rate limits: pre-emptive waits arrive as events, unexpected 429s as responses. */
export function watchRateLimits(client: Client, log: Logger): void {
  // Pre-emptive waits on an exhausted bucket arrive as events; unexpected 429s only show in responses.
  client.rest.on(RESTEvents.RateLimited, (info) =>
    log.warn(
      { route: info.route, retryAfter: info.retryAfter, global: info.global },
      "discord: REST rate limited",
    ),
  );
  client.rest.on(RESTEvents.Response, (req, res) => {
    if (res.status === 429) {
      const retryAfter = res.headers.get("retry-after");
      log.warn({ route: req.route, retryAfter, method: req.method }, "discord: REST answered 429");
    }
  });
}
