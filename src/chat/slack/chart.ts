// Chart replies on Slack: the PNG uploaded with files.getUploadURLExternal, a POST to the URL it gives, and
// files.completeUploadExternal (web-api's filesUploadV2 does the three steps), shared as the reply's visibility says.

import type { RespondArguments, webApi } from "@slack/bolt";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../../log/logger.js";
import type { Reply, ReplyImage } from "../types.js";
import { escapeText, type SlackBlock } from "./limits.js";
import type { SlackMessage } from "./render.js";

/** Slack's limit on an image block's alt_text and title. */
const ALT_MAX = 2000;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The reply as the comment the chart is shared with in a channel: headline, sparkline, fields and footer. */
export function chartComment(reply: Reply, sharedBy?: string): string {
  const lines = [
    `*${escapeText(reply.headline)}*`,
    ...reply.text.map(escapeText),
    reply.fields.map((f) => `${escapeText(f.label)}: ${escapeText(f.value)}`).join(" · "),
    reply.footer ? escapeText(reply.footer) : "",
    sharedBy && /^[A-Z0-9]+$/.test(sharedBy) ? `Shared by <@${sharedBy}>` : "",
  ];
  return clip(lines.filter(Boolean).join("\n"), 3000);
}

/** Uploads the chart; with `share`, Slack posts it in that channel with the comment. Returns the file id. */
export async function uploadChart(
  client: webApi.WebClient,
  image: ReplyImage,
  share?: { channel: string; comment: string },
): Promise<string> {
  const res = await client.filesUploadV2({
    file: Buffer.from(image.png),
    filename: image.fileName,
    title: image.title,
    alt_text: clip(image.alt, ALT_MAX),
    ...(share ? { channel_id: share.channel, initial_comment: share.comment } : {}),
  });
  const id = (res.files as Array<{ files?: Array<{ id?: string }> }> | undefined)?.[0]?.files?.[0]?.id;
  if (!id) throw new Error("files.completeUploadExternal answered without a file id");
  return id;
}

/** The image block showing an uploaded (not shared) file inside a message, e.g. an ephemeral reply. */
export function imageBlock(fileId: string, image: ReplyImage): SlackBlock {
  return {
    type: "image",
    slack_file: { id: fileId },
    alt_text: clip(image.alt, ALT_MAX),
    title: { type: "plain_text", text: clip(image.title, ALT_MAX) },
  };
}

/** A private answer with its chart: uploaded without a channel, shown in the ephemeral message's blocks. */
export async function withPrivateChart(
  client: webApi.WebClient,
  image: ReplyImage,
  response: RespondArguments & SlackMessage,
  log: Logger,
): Promise<RespondArguments> {
  try {
    const id = await uploadChart(client, image);
    const [head, ...rest] = response.blocks;
    return { ...response, blocks: head ? [head, imageBlock(id, image), ...rest] : [imageBlock(id, image)] };
  } catch (err) {
    return withoutChart(response, err, log);
  }
}

/** When the upload fails (e.g. the app lacks the files:write scope), the answer goes without it, saying why. */
export function withoutChart(response: RespondArguments & SlackMessage, err: unknown, log: Logger) {
  const why = errorMessage(err);
  log.warn({ err: why }, "slack: chart upload failed; answering without it");
  const note: SlackBlock = {
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: escapeText(
          clip(`The chart could not be uploaded (${why}); the app needs the files:write scope.`, 300),
        ),
      },
    ],
  };
  return { ...response, blocks: [...response.blocks, note] };
}
