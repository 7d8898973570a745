// The dispatcher: works the outbox through the chat adapters, paced, flood-batched and retried, beside ingest.

import { systemClock } from "../core/clock.js";
import type { Platform } from "../core/platform.js";
import type { DueDelivery } from "../store/outbox.js";
import { type DispatcherOptions, sendContext } from "./dispatcher-context.js";
import { type ChannelPlan, type FloodPolicy, floodPolicy, planChannel } from "./flood.js";
import { PassLoop, settleWithin } from "./passes.js";
import { PlatformPauses } from "./pause.js";
import { type Counters, type SendContext, sendMessage, type Timers } from "./send.js";
import { sendDigest } from "./send-digest.js";
import { planThread, threadRows } from "./source.js";
import type { AlertSender as ChatAdapter } from "./types.js";

export type { Counters, Timers };

// Rows read per query while looking for sendable channels, and at most this many per platform per pass.
const PAGE = 128;
const MAX_SCAN = 4096;

export class Dispatcher {
  private readonly ctx: SendContext;
  private readonly flood: FloodPolicy;
  private readonly busy = new Map<string, { ids: number[]; job: Promise<void> }>();
  /** Platforms that refused the bot's token; `pauses.resume(p)` once it connects with a valid one. */
  readonly pauses: PlatformPauses;
  private readonly loop: PassLoop;
  private running = false;
  private starting: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: DispatcherOptions) {
    const clock = opts.clock ?? systemClock;
    const { alerts } = opts;
    this.flood = floodPolicy(alerts, opts.maxSummary ?? alerts.floodSummaryMax);
    this.pauses = new PlatformPauses(opts.outbox, opts.log, clock, () => this.nudge());
    this.ctx = sendContext(
      opts,
      clock,
      () => this.running,
      (platform, reason) => this.pauses.pause(platform, reason),
    );
    this.loop = new PassLoop(this.ctx.timers, clock, () => this.pass());
  }

  /** Counts since start: stories sent, messages, digests, retries, failures, disables, 429s, timeouts. */
  get counters(): Readonly<Counters> {
    return this.ctx.counters;
  }

  get inFlight(): number {
    return this.busy.size;
  }

  /** Rows a crash left `sending` go back to pending (at least once), then sending starts. Never rejects. */
  start(): Promise<void> {
    if (this.running) return this.starting;
    this.running = true;
    this.unsubscribe = this.opts.outbox.onRouted(() => this.nudge());
    this.starting = this.recover().then(() => {
      if (!this.running) return;
      this.loop.start();
      this.loop.at(0);
    });
    return this.starting;
  }

  private async recover(): Promise<void> {
    try {
      const recovered = await this.opts.outbox.recoverInFlight();
      if (recovered > 0)
        this.opts.log.info({ recovered }, "alerts: resuming deliveries interrupted by a restart");
    } catch (err) {
      this.opts.log.error({ err }, "alerts: could not recover deliveries left in flight");
    }
  }

  /** Something was stored or changed: look at the outbox now rather than at the next poll. */
  nudge(): void {
    if (this.running) this.loop.at(0);
  }

  /** Stops sending; sends still in flight after `stopTimeoutMs` are handed back as pending for the next run. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    await this.starting;
    // A pass under way launches nothing more once running is false; every send it launched is in `busy`.
    await this.loop.stop();
    const jobs = [...this.busy.values()].map((b) => b.job);
    await settleWithin(this.ctx.timers, jobs, this.opts.stopTimeoutMs ?? 5_000);
    const left = [...this.busy.values()].flatMap((b) => b.ids);
    if (left.length === 0) return;
    await this.opts.outbox.release(left);
    this.opts.log.warn(
      { deliveries: left.length },
      "alerts: stopped with sends in flight; they stay pending",
    );
  }

  private async pass(): Promise<void> {
    const now = this.ctx.clock.now();
    let wake = now + (this.opts.pollMs ?? 2_000);
    try {
      const connected: Platform[] = [];
      for (const [platform, adapter] of this.opts.adapters) {
        if (!adapter.isConnected() || this.pauses.has(platform)) continue;
        connected.push(platform);
        wake = Math.min(wake, await this.passPlatform(platform, adapter, now));
        if (!this.running) return;
      }
      const next = await this.opts.outbox.nextDueAt(connected);
      // Rows already due but held back (pacing, busy channel) have their own wake-up; only future rows count.
      if (next !== null && next > now) wake = Math.min(wake, next);
    } catch (err) {
      if (!this.running) return;
      this.opts.log.error({ err }, "alerts: dispatcher pass failed; retrying at the next poll");
    }
    if (this.running) this.loop.at(wake - now);
  }

  /** Launches what may go now on one platform; returns when something held back may go. */
  private async passPlatform(platform: Platform, adapter: ChatAdapter, now: number): Promise<number> {
    const { pacer, health } = this.ctx;
    const gate = health.sendableAt(platform);
    if (gate > now) return gate;
    let wake = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    let after: { at: number; id: number } | undefined;
    for (let scanned = 0; scanned < MAX_SCAN; ) {
      const rows = await this.opts.outbox.due(platform, now, PAGE, after);
      for (const row of rows) {
        if (!this.running) return wake;
        scanned++;
        after = { at: row.nextAttemptAt, id: row.id };
        if (seen.has(row.channelRef) || this.busy.has(row.channelRef)) continue;
        seen.add(row.channelRef);
        // A full pipe or a busy channel frees itself: each finished send nudges the dispatcher.
        if (this.busy.size >= (this.opts.concurrency ?? 32)) return wake;
        const ready = pacer.readyAt(platform, row.channelRef);
        if (ready.at > now) {
          if (ready.scope === "platform") return Math.min(wake, ready.at);
          wake = Math.min(wake, ready.at);
          continue;
        }
        const held = await this.launch(platform, adapter, row.channelRef, now);
        if (held !== null) wake = Math.min(wake, held);
        else if (health.isOpen(platform)) return wake;
      }
      if (rows.length < PAGE) break;
    }
    return wake;
  }

  /** Plans and starts one message to a channel; returns the hold time when flood control defers it. */
  private async launch(
    platform: Platform,
    adapter: ChatAdapter,
    channelRef: string,
    now: number,
  ): Promise<number | null> {
    const { outbox } = this.opts;
    // A flood summary claims every due alert of the channel at once (up to maxSummary), so read them all.
    const due = await outbox.dueForChannel(channelRef, now, this.flood.maxSummary);
    // An edit or a digest is a message of its own: never folded into a summary, never held. Thread replies of one
    // event go together, at most one per flood window (alerts/source.ts).
    const alerts = due[0]?.kind === "source" ? threadRows(due) : due.filter((d) => d.kind === "alert");
    const plan: ChannelPlan<DueDelivery> =
      due[0]?.kind === "source"
        ? await planThread(outbox, due, now, this.flood.windowMs)
        : due[0] !== undefined && due[0].kind !== "alert"
          ? { kind: "alert", rows: [due[0]] }
          : planChannel(
              alerts,
              await outbox.activity(channelRef, now - this.flood.windowMs),
              now,
              this.flood,
            );
    if (plan.kind === "hold") {
      const held = alerts.map((d) => d.id);
      await outbox.defer(held, plan.until);
      return plan.until;
    }
    if (plan.kind === "none") return null;
    const wanted = plan.rows.map((r) => r.id);
    const claimed = new Set(await outbox.claim(wanted, now));
    const rows: DueDelivery[] = plan.rows.filter((r) => claimed.has(r.id));
    if (rows.length === 0) return null;
    if (!this.running) {
      // stop() came while this was being claimed: hand the rows back rather than start a send it will not wait for.
      await outbox.release(rows.map((r) => r.id));
      return null;
    }
    // Stamped now, not at the pass's start: a long pass must not make earlier sends look older than they are.
    const paced = this.ctx.pacer.take(platform, channelRef, this.ctx.clock.now());
    const probe = this.ctx.health.startSend(platform);
    // A digest (one row, its own message) is sent by its own function: it is looked up before a second post.
    const send = rows[0]?.kind === "digest" ? sendDigest : sendMessage;
    const job = send(this.ctx, {
      platform,
      adapter,
      channelRef,
      rows,
      batch: plan.kind === "batch",
      probe,
    }).finally(() => {
      // Answered (or given up on): from now on the platform has surely seen the request.
      paced.done(this.ctx.clock.now());
      this.busy.delete(channelRef);
      this.nudge();
    });
    this.busy.set(channelRef, { ids: rows.map((r) => r.id), job });
    return null;
  }
}
