// Which chat adapters a configuration asks for: Slack and Discord by their tokens, else the console (part of main).

import { dirname, join, resolve } from "node:path";
import type { ConsoleLogSink } from "../chat/console/above-prompt.js";
import type { ChatAdapter } from "../chat/types.js";
import type { Config } from "../config/schema.js";
import { ConfigError } from "../core/errors.js";
import type { Logger } from "../log/logger.js";

export interface ConsoleIO {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Called when the console user quits (Ctrl-D). */
  onQuit?: () => void;
  /** The logger's stream, so the console prints log lines above its prompt. */
  logSink?: ConsoleLogSink;
}

/**
 * Slack and Discord start when their tokens are set; the console runs when neither is configured. Each platform's
 * SDK is imported only when its adapter is built, so a bot (or a command) without Discord never loads discord.js.
 */
export async function chooseAdapters(config: Config, log: Logger, opts: ConsoleIO): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  const { slack } = config;
  // Any Slack setting given: the adapter's module decides (isSlackConfigured) and names what is missing.
  const slackModule =
    slack.botToken || slack.appToken || slack.signingSecret ? await import("../chat/slack/adapter.js") : null;
  if (slackModule?.isSlackConfigured(slack)) {
    const { SlackAdapter, slackSettingsProblems } = slackModule;
    const problems = slackSettingsProblems(config.slack);
    if (problems.length > 0) throw new ConfigError(problems);
    adapters.push(
      new SlackAdapter({
        config: config.slack,
        log: log.child({ module: "slack" }),
        timeoutMs: config.alerts.sendTimeoutMs,
      }),
    );
  }
  if (config.discord.token || config.discord.applicationId) {
    const { DiscordAdapter } = await import("../chat/discord/adapter.js");
    adapters.push(new DiscordAdapter({ config: config.discord, log: log.child({ module: "discord" }) }));
  }
  if (adapters.length === 0) {
    const { ConsoleAdapter } = await import("../chat/console/adapter.js");
    adapters.push(
      new ConsoleAdapter({
        input: opts.input ?? process.stdin,
        output: opts.output ?? process.stdout,
        log: log.child({ module: "console" }),
        onQuit: opts.onQuit,
        logSink: opts.logSink,
        chartsDir: chartsDirOf(config.dbPath),
      }),
    );
  }
  return adapters;
}

/** The console's chart folder: `charts` beside the database file. */
export const chartsDirOf = (dbPath: string): string => join(dirname(resolve(dbPath)), "charts");
