// `/cyber` and the "Share in channel" button: acknowledge at once, answer through the command layer.

import type { App, BlockButtonAction, RespondArguments, RespondFn, webApi } from "@slack/bolt";
import { safeHandle } from "../../commands/handler.js";
import { isPrivate } from "../../commands/replies.js";
import type { Config } from "../../config/schema.js";
import { errorMessage } from "../../core/errors.js";
import { formatChannelRef } from "../../core/platform.js";
import type { Logger } from "../../log/logger.js";
import type { ChatCommand, CommandHandler, PermissionDecision, Reply } from "../types.js";
import { chartComment, uploadChart, withoutChart, withPrivateChart } from "./chart.js";
import { unescapeText } from "./limits.js";
import { renderReply, SHARE_ACTION_ID, type SlackMessage } from "./render.js";

export const COMMAND_NAME = "/cyber";

export interface ListenerDeps {
  handler: CommandHandler;
  visibility: Config["slack"]["replyVisibility"];
  permission: (userId: string) => () => Promise<PermissionDecision>;
  log: Logger;
}

// Links in a reply would otherwise unfurl into large previews of the articles, once per link.
const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

type Response = RespondArguments & SlackMessage;

function asResponse(message: SlackMessage, responseType: "ephemeral" | "in_channel"): Response {
  return { response_type: responseType, text: message.text, blocks: message.blocks, ...NO_UNFURL };
}

/** How a command's reply goes back: private with a share button by default, or public when configured. */
export function responseFor(reply: Reply, commandText: string, deps: Pick<ListenerDeps, "visibility">) {
  if (isPrivate(reply)) return asResponse(renderReply(reply), "ephemeral");
  if (deps.visibility === "public") return asResponse(renderReply(reply), "in_channel");
  // Only lookups get the button: sharing re-runs the text, which must not repeat a subscription change.
  const shareText = reply.kind === "answer" ? commandText : undefined;
  return asResponse(renderReply(reply, { shareText }), "ephemeral");
}

interface Origin {
  team: string;
  channel: string;
  user: string;
  userName?: string;
  text: string;
}

function chatCommand(origin: Origin, deps: ListenerDeps): ChatCommand {
  return {
    platform: "slack",
    workspace: origin.team,
    channel: origin.channel,
    channelRef: formatChannelRef({ platform: "slack", workspace: origin.team, channel: origin.channel }),
    user: origin.user,
    userName: origin.userName,
    text: origin.text.trim(),
    canManageSubscriptions: deps.permission(origin.user),
  };
}

/**
 * A reply with a chart: shared in the channel by the upload itself when the reply is public, else uploaded
 * privately and shown in the ephemeral answer; when the upload fails, the answer goes without it, saying why.
 */
async function answer(
  client: webApi.WebClient,
  respond: RespondFn,
  reply: Reply,
  response: Response,
  channel: string,
  log: Logger,
  sharedBy?: string,
): Promise<boolean> {
  if (!reply.image) return send(respond, response, log);
  if (response.response_type !== "in_channel")
    return send(respond, await withPrivateChart(client, reply.image, response, log), log);
  try {
    await uploadChart(client, reply.image, { channel, comment: chartComment(reply, sharedBy) });
    return true;
  } catch (err) {
    return send(respond, withoutChart(response, err, log), log);
  }
}

/** A response_url can expire or be used up (5 posts in 30 minutes): that is logged, not an app error. */
async function send(respond: RespondFn, message: RespondArguments, log: Logger): Promise<boolean> {
  try {
    await respond(message);
    return true;
  } catch (err) {
    log.warn({ err: errorMessage(err) }, "slack response_url post failed");
    return false;
  }
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(COMMAND_NAME, async ({ command, ack, respond, client }) => {
    // Slack gives a command 3 seconds; the answer follows through response_url however long the query takes.
    await ack();
    const origin = {
      team: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
      userName: command.user_name,
      text: unescapeText(command.text ?? ""),
    };
    const reply = await safeHandle(deps.handler, chatCommand(origin, deps), deps.log);
    const response = responseFor(reply, origin.text, deps);
    await answer(client, respond, reply, response, origin.channel, deps.log);
  });

  app.action<BlockButtonAction>(SHARE_ACTION_ID, async ({ body, action, ack, respond, client }) => {
    await ack();
    const team = body.team?.id ?? body.user.team_id;
    const channel = body.channel?.id;
    if (!team || !channel) {
      deps.log.warn({ team, channel }, "share clicked outside a channel; ignored");
      return;
    }
    // Stateless: the button carries the command text, and the reply is computed again for the channel.
    const text = action.value ?? "";
    const origin = { team, channel, user: body.user.id, userName: body.user.username, text };
    const reply = await safeHandle(deps.handler, chatCommand(origin, deps), deps.log);
    if (isPrivate(reply) || reply.kind !== "answer") {
      await send(
        respond,
        { ...asResponse(renderReply(reply), "ephemeral"), replace_original: false },
        deps.log,
      );
      return;
    }
    const shared = renderReply(reply, { sharedBy: body.user.id });
    const posted = await answer(
      client,
      respond,
      reply,
      { ...asResponse(shared, "in_channel"), replace_original: false },
      channel,
      deps.log,
      body.user.id,
    );
    // The private copy with its button goes once the public one is there.
    if (posted) await send(respond, { delete_original: true }, deps.log);
  });
}
