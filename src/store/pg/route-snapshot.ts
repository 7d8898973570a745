// The synchronous OutboxTx a PostgreSQL save hands its onSaved callback: answers fetched beforehand inside the
// save transaction (route-fetch.ts), and queued rows kept in a buffer that the transaction then inserts. A
// question it has no answer to throws a RouteMiss: the caller fetches that answer and runs the callback again
// from the start with a fresh buffer, so the callback must do nothing but ask and queue.

import type { TagKey } from "../../core/tags.js";
import type { EventAlert, NewDelivery, OutboxTx, QueuedAlert, Subscribers } from "../outbox.js";
import type { PgNewDelivery } from "./outbox.js";

/** A question the snapshot could not answer. */
export type RouteQuestion =
  | { kind: "alertsOf"; storyRowid: number }
  | { kind: "eventAlerts"; eventRowid: number; withinMs: number }
  | { kind: "keywordHits"; storyRowid: number }
  | { kind: "subscribers"; keys: TagKey[] }
  | { kind: "activeChannels"; refs: string[] };

/** Thrown for a question without an answer: the runner fetches it and runs the callback again. */
export class RouteMiss extends Error {
  constructor(readonly question: RouteQuestion) {
    super(`routing asked what the save had not read yet (${question.kind})`);
  }
}

/** What the save transaction read for routing; grows as misses are fetched, kept across rounds. */
export interface RouteAnswers {
  anyActive: boolean;
  /** Story rowid → its alert rows. */
  alerts: Map<number, QueuedAlert[]>;
  /** `${event rowid}:${withinMs}` → the event's live alerts, newest per channel. */
  events: Map<string, EventAlert[]>;
  /** Story rowid → the keyword watches its text contains. */
  keywords: Map<number, TagKey[]>;
  /** Key → the channels with an active streamed subscription to it, by platform. */
  subscribers: Map<TagKey, Subscribers>;
  /** Channel id → whether it has any active subscription. */
  active: Map<number, boolean>;
  /**
   * Routing names channels by integer: PostgreSQL keeps references, so each reference read gets a number for the
   * length of the save (`ids`), and `refs[id]` turns a queued row's number back into its reference.
   */
  ids: Map<string, number>;
  refs: string[];
}

/** The number routing knows the channel `ref` by during this save. */
export function channelId(answers: RouteAnswers, ref: string): number {
  let id = answers.ids.get(ref);
  if (id === undefined) {
    id = answers.refs.length;
    answers.refs.push(ref);
    answers.ids.set(ref, id);
  }
  return id;
}

export const emptyAnswers = (anyActive: boolean): RouteAnswers => ({
  anyActive,
  alerts: new Map(),
  events: new Map(),
  keywords: new Map(),
  subscribers: new Map(),
  active: new Map(),
  ids: new Map(),
  refs: [],
});

export const eventKey = (eventRowid: number, withinMs: number): string => `${eventRowid}:${withinMs}`;

export class RouteSnapshot implements OutboxTx {
  /** The rows queued, in order, for the transaction to insert. */
  readonly rows: PgNewDelivery[] = [];
  /** The first question without an answer (kept even if the callback swallowed the throw). */
  missed: RouteQuestion | undefined;
  /** Alert channels per story: existing ones and those queued in this round (one alert per story per channel). */
  private readonly alerted = new Map<number, Set<number>>();

  constructor(private readonly answers: RouteAnswers) {}

  private miss(question: RouteQuestion): never {
    this.missed ??= question;
    throw new RouteMiss(question);
  }

  anyActive(): boolean {
    return this.answers.anyActive;
  }

  subscribers(key: TagKey): Subscribers {
    const found = this.answers.subscribers.get(key);
    return found
      ? found.map((s) => ({ platform: s.platform, channels: [...s.channels] }))
      : this.miss({ kind: "subscribers", keys: [key] });
  }

  keywordHits(storyRowid: number): TagKey[] {
    const found = this.answers.keywords.get(storyRowid);
    return found ? [...found] : this.miss({ kind: "keywordHits", storyRowid });
  }

  activeChannels(channels: readonly number[]): Set<number> {
    const unknown = channels.filter((id) => !this.answers.active.has(id));
    if (unknown.length > 0) {
      const refs = unknown.map((id) => this.answers.refs[id]);
      if (refs.some((ref) => ref === undefined))
        throw new Error("routing named a channel this save never read");
      this.miss({ kind: "activeChannels", refs: [...new Set(refs as string[])] });
    }
    return new Set(channels.filter((id) => this.answers.active.get(id) === true));
  }

  alertsOf(storyRowid: number): QueuedAlert[] {
    const found = this.answers.alerts.get(storyRowid);
    return found ? found.map((a) => ({ ...a })) : this.miss({ kind: "alertsOf", storyRowid });
  }

  eventAlerts(eventRowid: number, withinMs: number): EventAlert[] {
    const found = this.answers.events.get(eventKey(eventRowid, withinMs));
    return found ? found.map((a) => ({ ...a })) : this.miss({ kind: "eventAlerts", eventRowid, withinMs });
  }

  queue(storyRowid: number, rows: readonly NewDelivery[]): number {
    let alerted = this.alerted.get(storyRowid);
    if (!alerted) {
      const existing = this.answers.alerts.get(storyRowid);
      if (!existing) this.miss({ kind: "alertsOf", storyRowid });
      alerted = new Set(existing.map((a) => a.channel));
      this.alerted.set(storyRowid, alerted);
    }
    let added = 0;
    for (const r of rows) {
      const channelRef = this.answers.refs[r.channel];
      if (channelRef === undefined) throw new Error("routing queued a channel this save never read");
      if (r.updateOf === undefined) {
        if (alerted.has(r.channel)) continue;
        alerted.add(r.channel);
      }
      const kind = r.updateOf === undefined ? "alert" : (r.kind ?? "update");
      const row: PgNewDelivery = {
        storyRowid,
        channelRef,
        platform: r.platform,
        tags: r.tags,
        kind,
      };
      if (r.updateOf !== undefined) row.updateOf = r.updateOf;
      this.rows.push(row);
      added++;
    }
    return added;
  }
}
