// Posts later sources of an alerted event in the alert's thread (thread_ts), then edits the alert to count them.

import type { webApi } from "@slack/bolt";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../../log/logger.js";
import type { Delivered, SourceReply } from "../types.js";
import { toDeliveryError } from "./errors.js";
import { renderAlert } from "./render.js";
import { renderSource } from "./render-source.js";

/**
 * The reply goes in the alert's thread without broadcasting to the channel; a failed reply is a failed delivery
 * (retried by the dispatcher). The edit of the alert ("+N sources") is a courtesy: when it fails (the alert was
 * deleted, the edit refused) it is logged and the reply still counts as delivered.
 */
export async function postSourceReply(
  client: webApi.WebClient,
  log: Logger,
  channel: string,
  message: SourceReply,
): Promise<Delivered> {
  const { text, blocks } = renderSource(message);
  const thread_ts = message.parent.messageId;
  let ts: string;
  try {
    const res = await client.chat.postMessage({
      channel,
      thread_ts,
      text,
      blocks,
      reply_broadcast: false,
      unfurl_links: false,
      unfurl_media: false,
    });
    ts = res.ts ?? "";
  } catch (err) {
    throw toDeliveryError(err);
  }
  try {
    await client.chat.update({ channel, ts: thread_ts, ...renderAlert(message.parent.alert) });
  } catch (err) {
    log.warn(
      { channel, ts: thread_ts, err: errorMessage(err) },
      "slack: could not edit the alert to count its sources",
    );
  }
  return { messageId: ts };
}
