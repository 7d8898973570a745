// Which rendering each kind of Outbound gets, for the platforms that can edit a posted alert (Slack, Discord).

import type { Alert, Outbound, Reply } from "./types.js";

/**
 * One rule for Slack and Discord, given their renderers: a revision with a posted message to edit is drawn as
 * the alert again, labelled "Updated story"; without one (a digest, a deleted message) it gets a short note.
 */
export function renderWith<M>(
  message: Outbound,
  alert: (alert: Alert, label?: string) => M,
  batch: (alerts: Alert[], reason: string) => M,
  reply: (reply: Reply) => M,
  updateNote: (alert: Alert) => M,
): M {
  if (message.kind === "alert") return alert(message.alert);
  if (message.kind === "batch") return batch(message.alerts, message.reason);
  if (message.kind === "notice") return reply(message.reply);
  // An update edits the posted alert in place when there is one to edit, else it is a short note.
  return message.messageId ? alert(message.alert, "Updated story") : updateNote(message.alert);
}
