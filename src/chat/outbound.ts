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
  switch (message.kind) {
    case "alert":
      return alert(message.alert);
    case "batch":
      return batch(message.alerts, message.reason);
    case "notice":
      return reply(message.reply);
    case "update":
      return message.messageId ? alert(message.alert, "Updated story") : updateNote(message.alert);
  }
}
