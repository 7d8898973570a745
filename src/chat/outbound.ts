// Which rendering each kind of Outbound gets, for the platforms that can edit a posted alert (Slack, Discord).

import type { Alert, Outbound, Reply } from "./types.js";

/** One platform's renderers, each producing that platform's message `M`. */
export interface OutboundRenderers<M> {
  /** A story's alert; `label` replaces "New story" (an edit in place says "Updated story"). */
  alert(alert: Alert, label?: string): M;
  batch(alerts: Alert[], reason: string): M;
  reply(reply: Reply): M;
  /** The short post for a revised story whose alert cannot be edited (a digest, or a deleted message). */
  updateNote(alert: Alert): M;
}

/** A revision with a posted message to edit is drawn as the alert again, labelled; otherwise it gets a note. */
export function renderWith<M>(message: Outbound, render: OutboundRenderers<M>): M {
  switch (message.kind) {
    case "alert":
      return render.alert(message.alert);
    case "batch":
      return render.batch(message.alerts, message.reason);
    case "notice":
      return render.reply(message.reply);
    case "update":
      return message.messageId
        ? render.alert(message.alert, "Updated story")
        : render.updateNote(message.alert);
  }
}
