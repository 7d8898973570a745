// Slack's settings: the adapter's options, whether Slack is configured, and what is wrong with its variables.

import type { webApi } from "@slack/bolt";
import type { Config } from "../../config/schema.js";
import type { Logger } from "../../log/logger.js";
import type { SocketTuning } from "./app.js";

export type SlackConfig = Config["slack"];

export interface SlackAdapterOptions {
  config: SlackConfig;
  log: Logger;
  /** Listen address of the HTTP receiver; every interface when not given. */
  host?: string;
  /** Web API client retries (keep small: the dispatcher owns retry policy) and per-request timeout. */
  retryConfig?: webApi.RetryOptions;
  timeoutMs?: number;
  socket?: SocketTuning;
  /** Called with every error Bolt reports to `app.error`, after it is logged. */
  onError?: (err: Error) => void;
}

/** True when any Slack variable is set: the bot then means to run on Slack, and must have a complete set. */
export function isSlackConfigured(slack: SlackConfig): boolean {
  return Boolean(slack.botToken || slack.appToken || slack.signingSecret);
}

/** Every problem with the Slack settings, each naming the variable to set; empty when they are usable. */
export function slackSettingsProblems(slack: SlackConfig): string[] {
  const problems: string[] = [];
  const { botToken, appToken, signingSecret } = slack;
  if (!botToken) {
    const set = [appToken && "SLACK_APP_TOKEN", signingSecret && "SLACK_SIGNING_SECRET"].filter(Boolean);
    problems.push(
      set.length > 0
        ? `${set.join(" and ")} ${set.length > 1 ? "are" : "is"} set but SLACK_BOT_TOKEN is missing (the xoxb- token of the installed app)`
        : "SLACK_BOT_TOKEN is missing, with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)",
    );
  } else if (!appToken && !signingSecret) {
    problems.push(
      "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) is missing",
    );
  }
  if (botToken?.startsWith("xapp-")) {
    problems.push("SLACK_BOT_TOKEN holds an app-level token (xapp-); it needs the bot token (xoxb-)");
  }
  if (appToken && !appToken.startsWith("xapp-")) {
    problems.push(
      "SLACK_APP_TOKEN must be an app-level token starting with xapp- (with the connections:write scope)",
    );
  }
  return problems;
}
