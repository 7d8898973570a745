// Subscriptions in SQLite: one row per (channel, tag) with its state, plus an append-only audit trail.

import type Database from "better-sqlite3";
import { type Clock, isoNow } from "../../core/clock.js";
import type { DigestSchedule, SubscriptionMode } from "../../core/digest.js";
import { parseChannelRef } from "../../core/platform.js";
import { parseTagList, type TagKey } from "../../core/tags.js";
import type {
  SubscribeResult,
  Subscription,
  SubscriptionAction,
  SubscriptionEvent,
} from "../subscriptions.js";

/** Who the audit trail names when delivery, not a person, switched a subscription off. */
export const SYSTEM_USER = "cyberbrief";

/** A subscriptions row as both stores read it (PostgreSQL's store reuses this mapping). */
export interface SubRow {
  channel_ref: string;
  tag: TagKey;
  platform: Subscription["platform"];
  state: "active" | "disabled" | "removed";
  created_by: string;
  created_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  mode: SubscriptionMode;
  at: string | null;
}

export const scheduleOf = (r: Pick<SubRow, "mode" | "at">): DigestSchedule | null =>
  r.mode === "stream" ? null : { mode: r.mode, at: r.at ?? "08:00" };

export const sameSchedule = (a: DigestSchedule | null, b: DigestSchedule | null): boolean =>
  a === null || b === null ? a === b : a.mode === b.mode && a.at === b.at;

/** The audit trail's reason for a schedule: "daily at 08:00", "weekly at 08:00" or "stream". */
export const scheduleReason = (d: DigestSchedule | null): string => (d ? `${d.mode} at ${d.at}` : "stream");

function logEvent(
  db: Database.Database,
  channelRef: string,
  tag: TagKey,
  action: SubscriptionAction,
  user: string,
  at: string,
  reason: string | null = null,
): void {
  db.prepare(
    "INSERT INTO subscription_events (channel_ref, tag, action, user, at, reason) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(channelRef, tag, action, user, at, reason);
}

/** Disables every active subscription of a channel (audited); runs inside the caller's transaction. */
export function disableChannelSubscriptions(
  db: Database.Database,
  channelRef: string,
  reason: string,
  at: string,
): TagKey[] {
  const tags = db
    .prepare("SELECT tag FROM subscriptions WHERE channel_ref = ? AND state = 'active' ORDER BY tag")
    .pluck()
    .all(channelRef) as TagKey[];
  const update = db.prepare(
    "UPDATE subscriptions SET state = 'disabled', disabled_at = ?, disabled_reason = ? WHERE channel_ref = ? AND tag = ?",
  );
  for (const tag of tags) {
    update.run(at, reason, channelRef, tag);
    logEvent(db, channelRef, tag, "disable", SYSTEM_USER, at, reason);
  }
  return tags;
}

/** A row as the store's callers see it; disabled fields only mean something while the row is disabled. */
export function toSubscription(r: SubRow): Subscription {
  const disabled = r.state === "disabled";
  return {
    channelRef: r.channel_ref,
    platform: r.platform,
    tag: r.tag,
    createdBy: r.created_by,
    createdAt: r.created_at,
    disabledAt: disabled ? r.disabled_at : null,
    disabledReason: disabled ? r.disabled_reason : null,
    digest: scheduleOf(r),
  };
}

/** The subscription half of SqliteStoryStore (which implements SubscriptionStore with it). */
export class SqliteSubscriptions {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {}

  private row(channelRef: string, tag: TagKey): SubRow | undefined {
    return this.db
      .prepare("SELECT * FROM subscriptions WHERE channel_ref = ? AND tag = ?")
      .get(channelRef, tag) as SubRow | undefined;
  }

  async subscribe(
    channelRef: string,
    tag: TagKey,
    user: string,
    digest: DigestSchedule | null = null,
  ): Promise<SubscribeResult> {
    const platform = parseChannelRef(channelRef)?.platform;
    if (!platform) throw new Error(`Not a channel reference: ${channelRef}`);
    const now = isoNow(this.clock);
    const mode = digest?.mode ?? "stream";
    const at = digest?.at ?? null;
    // The audit line says which schedule was chosen when it is not the plain stream (or when it changed).
    const reason = digest ? scheduleReason(digest) : null;
    return this.db
      .transaction((): SubscribeResult => {
        const prev = this.row(channelRef, tag);
        if (prev?.state === "active") {
          const from = scheduleOf(prev);
          if (sameSchedule(from, digest)) return { created: false };
          this.db
            .prepare("UPDATE subscriptions SET mode = ?, at = ? WHERE channel_ref = ? AND tag = ?")
            .run(mode, at, channelRef, tag);
          logEvent(this.db, channelRef, tag, "subscribe", user, now, scheduleReason(digest));
          // Alerts still queued for a tag that now goes in a digest are not streamed any more.
          if (digest) this.cancelUnwanted(channelRef, `switched to the ${digest.mode} digest at ${now}`);
          return { created: false, switched: { from } };
        }
        this.db
          .prepare(
            `INSERT INTO subscriptions (channel_ref, tag, platform, state, created_by, created_at, mode, at)
             VALUES (?, ?, ?, 'active', ?, ?, ?, ?)
             ON CONFLICT(channel_ref, tag) DO UPDATE SET state = 'active', created_by = excluded.created_by,
             created_at = excluded.created_at, disabled_at = NULL, disabled_reason = NULL, mode = excluded.mode,
             at = excluded.at`,
          )
          .run(channelRef, tag, platform, user, now, mode, at);
        logEvent(this.db, channelRef, tag, "subscribe", user, now, reason);
        return prev?.state === "disabled" ? { created: true, reenabled: true } : { created: true };
      })
      .immediate();
  }

  async unsubscribe(channelRef: string, tag: TagKey, user: string): Promise<{ removed: boolean }> {
    const now = isoNow(this.clock);
    return this.db
      .transaction(() => {
        const prev = this.row(channelRef, tag);
        if (!prev || prev.state === "removed") return { removed: false };
        this.db
          .prepare("UPDATE subscriptions SET state = 'removed' WHERE channel_ref = ? AND tag = ?")
          .run(channelRef, tag);
        logEvent(this.db, channelRef, tag, "unsubscribe", user, now);
        this.cancelUnwanted(channelRef, `unsubscribed at ${now}`);
        return { removed: true };
      })
      .immediate();
  }

  /**
   * Pending rows that no remaining active tag of the channel asks for are cancelled: unsubscribing stops them.
   * An alert needs a streamed tag: one whose tag went into a digest is cancelled too (the digest carries it).
   */
  private cancelUnwanted(channelRef: string, reason: string): void {
    const active = this.db
      .prepare("SELECT tag, mode FROM subscriptions WHERE channel_ref = ? AND state = 'active'")
      .all(channelRef) as Array<{ tag: string; mode: SubscriptionMode }>;
    const any = new Set(active.map((a) => a.tag));
    const streamed = new Set(active.filter((a) => a.mode === "stream").map((a) => a.tag));
    const pending = this.db
      .prepare("SELECT id, kind, tags FROM deliveries WHERE channel_ref = ? AND status = 'pending'")
      .all(channelRef) as Array<{ id: number; kind: string; tags: string }>;
    const cancel = this.db.prepare(
      "UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ? AND status = 'pending'",
    );
    for (const d of pending) {
      const wanted = d.kind === "alert" || d.kind === "source" ? streamed : any;
      if (!parseTagList(d.tags).some((t) => wanted.has(t))) cancel.run(reason, d.id);
    }
  }

  async subscriptions(channelRef: string): Promise<Subscription[]> {
    const rows = this.db
      .prepare("SELECT * FROM subscriptions WHERE channel_ref = ? AND state != 'removed' ORDER BY tag")
      .all(channelRef) as SubRow[];
    return rows.map(toSubscription);
  }

  /** Every switched-off subscription across channels, newest first (for `cyberbrief status`). */
  async disabled(): Promise<Subscription[]> {
    const rows = this.db
      .prepare(
        "SELECT * FROM subscriptions WHERE state = 'disabled' ORDER BY disabled_at DESC, channel_ref, tag",
      )
      .all() as SubRow[];
    return rows.map(toSubscription);
  }

  /** The channel's audit trail, oldest first. */
  async history(channelRef: string): Promise<SubscriptionEvent[]> {
    const rows = this.db
      .prepare("SELECT * FROM subscription_events WHERE channel_ref = ? ORDER BY id")
      .all(channelRef) as Array<Record<string, string | null>>;
    return rows.map((r) => ({
      channelRef: r.channel_ref as string,
      tag: r.tag as TagKey,
      action: r.action as SubscriptionAction,
      user: r.user as string,
      at: r.at as string,
      reason: r.reason ?? null,
    }));
  }
}
