// Routing a PostgreSQL save: what the onSaved callback will ask is read first inside the save transaction (in
// a few statements: subscribers of every key in one), the callback runs synchronously against that snapshot
// (route-snapshot.ts), and its rows are inserted in one statement. A question not read beforehand is fetched and
// the callback run again, a bounded number of times. The questions' SQL follows sqlite/outbox-tx.ts.

import type { Clock } from "../../core/clock.js";
import { type Platform, parseChannelRef } from "../../core/platform.js";
import { keywordOf, storyTagKeys, type TagKey } from "../../core/tags.js";
import type { EventAlert, QueuedAlert } from "../outbox.js";
import type { OnSaved, SavedStory } from "../types.js";
import type { Tx } from "./open.js";
import type { PgNewDelivery } from "./outbox.js";
import {
  channelId,
  emptyAnswers,
  eventKey,
  type RouteAnswers,
  type RouteQuestion,
  RouteSnapshot,
} from "./route-snapshot.js";
import { phrasesIn } from "./search.js";

/** Runs of the callback at most per story: each but the last may stop at a question not yet read. */
const MAX_ROUNDS = 8;

/** What the store learns from earlier saves: the event window routing asks for (so it is read beforehand). */
export interface RouteHints {
  eventWindowMs?: number;
}

const ACTIVE = `SELECT DISTINCT channel_ref AS ref FROM subscriptions
  WHERE state = 'active' AND channel_ref = ANY($1::text[])`;

const SUBSCRIBERS = `SELECT tag, channel_ref AS ref FROM subscriptions
  WHERE state = 'active' AND mode = 'stream' AND tag = ANY($1::text[]) ORDER BY tag, channel_ref COLLATE "C"`;

const WATCHED = `SELECT DISTINCT tag FROM subscriptions
  WHERE state = 'active' AND mode = 'stream' AND tag >= 'keyword:' AND tag < 'keyword;' ORDER BY tag`;

const ALERTS_OF = `SELECT a.id, a.channel_ref AS "channelRef", a.platform, a.tags, a.status,
  EXISTS (SELECT 1 FROM deliveries u WHERE u.channel_ref = a.channel_ref AND u.status = 'pending'
          AND u.kind = 'update' AND u.update_of = a.id) AS "updatePending"
  FROM deliveries a WHERE a.story_rowid = $1 AND a.kind = 'alert' ORDER BY a.channel_ref COLLATE "C"`;

const EVENT_ALERTS = `SELECT d.id, d.channel_ref AS "channelRef", d.platform, d.tags, d.status FROM deliveries d
  WHERE d.kind = 'alert' AND d.status IN ('pending', 'sending', 'sent') AND d.created_at >= $1
    AND d.story_rowid IN (SELECT rowid FROM stories WHERE rowid = $2 OR event_rowid = $2)
  ORDER BY d.channel_ref COLLATE "C", d.id DESC`;

/**
 * Runs `onSaved` for the story inside the save transaction and inserts what it queued; returns how many rows
 * were added. A throw from the callback (other than a question not read yet) rolls the save back.
 */
export async function routeSaved(
  tx: Tx,
  clock: Clock,
  onSaved: OnSaved,
  saved: SavedStory,
  hints: RouteHints,
): Promise<number> {
  const answers = await prefetch(tx, clock, saved, hints);
  for (let round = 1; ; round++) {
    const snapshot = new RouteSnapshot(answers);
    try {
      onSaved(snapshot, saved);
    } catch (err) {
      if (snapshot.missed === undefined) throw err;
    }
    const question = snapshot.missed;
    if (question === undefined) return insertDeliveries(tx, snapshot.rows, clock.now());
    if (round >= MAX_ROUNDS)
      throw new Error(`routing story ${saved.storyId} still asked new questions after ${MAX_ROUNDS} runs`);
    if (question.kind === "eventAlerts") hints.eventWindowMs = question.withinMs;
    await fetchAnswer(tx, clock, answers, question);
  }
}

/** What routing asks of a story, read in the save transaction before the callback runs. */
async function prefetch(tx: Tx, clock: Clock, saved: SavedStory, hints: RouteHints): Promise<RouteAnswers> {
  const any = await tx.query<{ any: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE state = 'active') AS any",
  );
  const answers = emptyAnswers(any.rows[0]?.any === true);
  // A new story has no alert rows yet; a revision's are read.
  if (saved.kind === "new") answers.alerts.set(saved.storyRowid, []);
  // With no active subscription anywhere, routing asks nothing more.
  if (!answers.anyActive) return answers;
  if (saved.kind === "revised") await fetchAnswer(tx, clock, answers, alertsOf(saved.storyRowid));
  const { eventWindowMs } = hints;
  if (eventWindowMs !== undefined && !(saved.kind === "new" && saved.event.lead))
    await fetchAnswer(tx, clock, answers, {
      kind: "eventAlerts",
      eventRowid: saved.event.rowid,
      withinMs: eventWindowMs,
    });
  await fetchAnswer(tx, clock, answers, { kind: "keywordHits", storyRowid: saved.storyRowid });
  const hits = answers.keywords.get(saved.storyRowid) ?? [];
  await fetchAnswer(tx, clock, answers, { kind: "subscribers", keys: [...storyTagKeys(saved), ...hits] });
  // Revisions and later sources ask which of the channels of these alerts still have a subscription.
  const refs = [...answers.alerts.values(), ...answers.events.values()]
    .flat()
    .map((a) => answers.refs[a.channel] as string);
  if (refs.length > 0) await fetchAnswer(tx, clock, answers, { kind: "activeChannels", refs });
  return answers;
}

const alertsOf = (storyRowid: number): RouteQuestion => ({ kind: "alertsOf", storyRowid });

/** Reads the answer to one question into `answers`. */
async function fetchAnswer(tx: Tx, clock: Clock, answers: RouteAnswers, q: RouteQuestion): Promise<void> {
  switch (q.kind) {
    case "alertsOf": {
      const rows = await tx.query<Omit<QueuedAlert, "channel"> & { channelRef: string }>(ALERTS_OF, [
        q.storyRowid,
      ]);
      answers.alerts.set(
        q.storyRowid,
        rows.rows.map(({ channelRef, ...a }) => ({ ...a, channel: channelId(answers, channelRef) })),
      );
      return;
    }
    case "eventAlerts": {
      type Row = Omit<EventAlert, "channel"> & { channelRef: string };
      const rows = (await tx.query<Row>(EVENT_ALERTS, [clock.now() - q.withinMs, q.eventRowid])).rows;
      // Newest first within each channel: keep that one.
      const newest = rows.filter((r, i) => i === 0 || rows[i - 1]?.channelRef !== r.channelRef);
      answers.events.set(
        eventKey(q.eventRowid, q.withinMs),
        newest.map(({ channelRef, ...a }) => ({ ...a, channel: channelId(answers, channelRef) })),
      );
      return;
    }
    case "keywordHits": {
      answers.keywords.set(q.storyRowid, await keywordHits(tx, q.storyRowid));
      return;
    }
    case "subscribers": {
      const keys = [...new Set(q.keys)];
      const found = new Map<TagKey, Map<Platform, number[]>>(keys.map((k) => [k, new Map()]));
      const rows = await tx.query<{ tag: TagKey; ref: string }>(SUBSCRIBERS, [keys]);
      for (const r of rows.rows) {
        const platform = parseChannelRef(r.ref)?.platform;
        const byPlatform = found.get(r.tag);
        if (!platform || !byPlatform) continue;
        const channels = byPlatform.get(platform) ?? [];
        channels.push(channelId(answers, r.ref));
        byPlatform.set(platform, channels);
      }
      for (const [key, byPlatform] of found)
        answers.subscribers.set(
          key,
          [...byPlatform].map(([platform, channels]) => ({
            platform,
            channels: channels.sort((a, b) => a - b),
          })),
        );
      return;
    }
    case "activeChannels": {
      const refs = [...new Set(q.refs)];
      for (const ref of refs) answers.active.set(channelId(answers, ref), false);
      const rows = await tx.query<{ ref: string }>(ACTIVE, [refs]);
      for (const r of rows.rows) answers.active.set(channelId(answers, r.ref), true);
      return;
    }
  }
}

/** The active streamed keyword watches whose phrase the story contains, by full-text search's word forms. */
async function keywordHits(tx: Tx, storyRowid: number): Promise<TagKey[]> {
  const watched = (await tx.query<{ tag: TagKey }>(WATCHED)).rows.map((r) => r.tag);
  if (watched.length === 0) return [];
  return phrasesIn(tx, storyRowid, watched, (k) => keywordOf(k) ?? "");
}

/** Inserts queued rows in one statement (one alert per story and channel: a second is left out); the count added. */
export async function insertDeliveries(db: Tx, rows: readonly PgNewDelivery[], now: number): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db.query(
    `INSERT INTO deliveries (story_rowid, channel_ref, platform, tags, kind, update_of, status, next_attempt_at,
       created_at)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]),
       LATERAL (SELECT 'pending', $7::bigint, $7::bigint) AS s
     ON CONFLICT (story_rowid, channel_ref) WHERE kind = 'alert' DO NOTHING`,
    [
      rows.map((d) => d.storyRowid),
      rows.map((d) => d.channelRef),
      rows.map((d) => d.platform),
      rows.map((d) => d.tags),
      rows.map((d) => d.kind ?? "alert"),
      rows.map((d) => d.updateOf ?? null),
      now,
    ],
  );
  return r.rowCount ?? 0;
}
