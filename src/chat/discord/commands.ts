// The `/cyber` command definition and its registration, globally or in one guild (instant, for trying it out).

import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  DiscordAPIError,
  InteractionContextType,
  RESTJSONErrorCodes,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsResult,
  Routes,
} from "discord.js";
import { ConfigError, CyberbriefError } from "../../core/errors.js";
import { createDiscordRest, type DiscordConnectionOptions, normaliseApiUrl } from "./client.js";
import { toStartupError } from "./errors.js";

export const COMMAND_NAME = "cyber";
export const QUERY_OPTION = "query";

/**
 * One command with one free-text option, so `/cyber apt40` reads the same as on Slack and the command layer
 * parses one language. Guild-only: alerts and subscriptions are per guild channel.
 */
export const CYBER_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: COMMAND_NAME,
  description: "State-sponsored hacking news by threat actor and country",
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: QUERY_OPTION,
      description: "e.g. apt40, country nz, trend apt40 52w, latest, subscribe target:nz, help",
      required: false,
      autocomplete: true,
      max_length: 200,
    },
  ],
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

export interface RegisterOptions {
  token: string | undefined;
  applicationId: string | undefined;
  /** Register in this guild only: visible at once, unlike global commands. */
  guildId?: string;
  apiUrl?: string;
  restTimeoutMs?: number;
}

export interface RegisterResult {
  scope: "guild" | "global";
  guildId?: string;
  commands: Array<{ id: string; name: string }>;
}

/** Replaces the application's commands with `/cyber` (PUT is idempotent, so running it twice is harmless). */
export async function registerDiscordCommands(opts: RegisterOptions): Promise<RegisterResult> {
  const problems: string[] = [];
  if (!opts.token) problems.push("DISCORD_TOKEN is not set: the bot token from the Discord Developer Portal");
  if (!opts.applicationId) {
    problems.push(
      "DISCORD_APPLICATION_ID is not set: the Application ID on the app's General Information page",
    );
  }
  if (!opts.token || !opts.applicationId) throw new ConfigError(problems);

  const conn: DiscordConnectionOptions = {
    apiUrl: opts.apiUrl,
    restTimeoutMs: opts.restTimeoutMs,
    restRetries: 1,
  };
  const rest = createDiscordRest(opts.token, conn);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  try {
    const result = (await rest.put(route, { body: [CYBER_COMMAND] })) as RESTPutAPIApplicationCommandsResult;
    return {
      scope: opts.guildId ? "guild" : "global",
      ...(opts.guildId ? { guildId: opts.guildId } : {}),
      commands: result.map((c) => ({ id: c.id, name: c.name })),
    };
  } catch (err) {
    if (opts.guildId && err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.MissingAccess) {
      throw new CyberbriefError(
        "discord/guild-access",
        `Cannot register /cyber in guild ${opts.guildId}: the bot is not in it, or was invited without the ` +
          "applications.commands scope. Invite it (OAuth2 URL with scopes bot and applications.commands) or fix DISCORD_GUILD_ID.",
        { cause: err },
      );
    }
    throw toStartupError(err, normaliseApiUrl(opts.apiUrl));
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
