// Who gets an alert: the one rule for which channels a new story or a revision reaches, run inside its save.

import type { Platform } from "../core/platform.js";
import { formatTagList, storyTagKeys, type TagKey } from "../core/tags.js";
import type { EventAlert, NewDelivery, OutboxTx, QueuedAlert } from "../store/outbox.js";
import type { SavedStory } from "../store/types.js";

/** The one matching rule lives in core/tags.ts, so `/cyber why` (commands) applies the same one. */
export { storyTagKeys };

/** At most one top-level alert per event per channel within this time; later sources reply in its thread. */
export const EVENT_THREAD_MS = 72 * 60 * 60 * 1000;

/**
 * The story's store `onSaved` callback: it runs inside the save transaction, so the story and its deliveries
 * commit (or roll back) together.
 * 1. Every channel with an active subscription to one of the story's keys (its tags, and the keyword watches its
 *    text contains) gets one alert row, naming every key it matched ("actor:APT40, country:NZ"). A channel that already has the story's alert (in any state) gets
 *    no second one: a re-scan adds nothing, a revision that adds a tag (or makes the story cyber, matching
 *    "all") reaches only the channels that newly match.
 * 2. A revision reaches the channels whose alert was sent (or is being sent) as an update row: an edit of that
 *    alert. Not when an update of it is already pending (that one renders the latest revision when it goes), and
 *    not when the channel has no active subscription left. An alert still pending needs nothing: it carries the
 *    latest revision itself.
 * 3. A channel with a live alert of the story's event (pending, sending or sent, queued within EVENT_THREAD_MS)
 *    gets no second top-level alert. A new story that is not its event's first (a later source) gets a 'source'
 *    row there instead, replying in that alert's thread, whether or not it matches the channel's tags, as long
 *    as the channel still has an active subscription.
 */
export function routeStory(tx: OutboxTx, saved: SavedStory): void {
  // Every rule below needs a channel with an active subscription: with none (a first ingest), one probe.
  if (!tx.anyActive()) return;
  const existing = saved.kind === "revised" ? tx.alertsOf(saved.storyRowid) : [];
  const alerted = new Set(existing.map((a) => a.channel));
  // A new event's first story has no event alerts to look for.
  const live = saved.kind === "new" && saved.event.lead ? [] : eventAlerts(tx, saved, existing);
  for (const a of live) alerted.add(a.channel);
  // Channels are integer ids: a story reaching thousands of them costs Map lookups and a numeric sort.
  const matched = new Map<number, TagKey[]>();
  const platforms = new Map<number, Platform>();
  // Tags: one indexed probe each. Keyword watches: the story's text is scanned once against all of them.
  for (const key of [...storyTagKeys(saved), ...tx.keywordHits(saved.storyRowid)]) {
    for (const { platform, channels } of tx.subscribers(key)) {
      for (const channel of channels) {
        if (alerted.has(channel)) continue;
        const keys = matched.get(channel);
        if (keys) keys.push(key);
        else {
          matched.set(channel, [key]);
          platforms.set(channel, platform);
        }
      }
    }
  }
  const alerts: NewDelivery[] = [];
  // A typed array sorts numbers without calling back into JavaScript for each comparison.
  for (const channel of Float64Array.from(matched.keys()).sort()) {
    const platform = platforms.get(channel) as Platform;
    alerts.push({ channel, platform, tags: formatTagList(matched.get(channel) ?? []) });
  }
  tx.queue(saved.storyRowid, alerts);
  if (saved.kind === "revised") tx.queue(saved.storyRowid, updates(tx, existing));
  else if (!saved.event.lead) tx.queue(saved.storyRowid, sources(tx, live));
}

/** The event's live alerts in other stories' rows (the story's own are handled by rules 1 and 2). */
function eventAlerts(tx: OutboxTx, saved: SavedStory, existing: readonly QueuedAlert[]): EventAlert[] {
  const own = new Set(existing.map((a) => a.id));
  return tx.eventAlerts(saved.event.rowid, EVENT_THREAD_MS).filter((a) => !own.has(a.id));
}

/** Thread replies of a later source, one per channel with a live event alert and an active subscription. */
function sources(tx: OutboxTx, live: readonly EventAlert[]): NewDelivery[] {
  if (live.length === 0) return [];
  const active = tx.activeChannels(live.map((a) => a.channel));
  return live
    .filter((a) => active.has(a.channel))
    .map((a) => ({
      channel: a.channel,
      platform: a.platform,
      tags: a.tags,
      updateOf: a.id,
      kind: "source" as const,
    }));
}

/** Update rows for the alerts a revision must edit (rule 2 above). */
function updates(tx: OutboxTx, alerts: readonly QueuedAlert[]): NewDelivery[] {
  const live = alerts.filter((a) => (a.status === "sent" || a.status === "sending") && !a.updatePending);
  if (live.length === 0) return [];
  const active = tx.activeChannels(live.map((a) => a.channel));
  return live
    .filter((a) => active.has(a.channel))
    .map((a) => ({ channel: a.channel, platform: a.platform, tags: a.tags, updateOf: a.id }));
}
