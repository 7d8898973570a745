// The pure policies: backoff and retry decisions, flood planning, pacing windows and the platform circuit.

import { describe, expect, it } from "vitest";
import { floodPolicy, planChannel } from "../../src/alerts/flood.js";
import { PlatformHealth } from "../../src/alerts/health.js";
import { Pacer } from "../../src/alerts/pacer.js";
import { backoffMs, decide, isOutage } from "../../src/alerts/retry.js";
import { DeliveryError } from "../../src/chat/types.js";

const policy = { maxAttempts: 4, baseRetryMs: 1000, maxRetryMs: 5000 };

describe("retry policy", () => {
  it("backs off exponentially under a cap with full jitter", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 0.999999))).toEqual([
      999, 1999, 3999, 4999, 4999,
    ]);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
  });

  it("retries transient failures, honours retry-after, fails at the limit, disables on permanent", () => {
    const transient = new DeliveryError("transient", "http_503", "down");
    expect(decide(transient, 1, policy, () => 0.5)).toEqual({ action: "retry", delayMs: 500 });
    const limited = new DeliveryError("transient", "ratelimited", "slow down", 30_000);
    expect(decide(limited, 1, policy, () => 0.5)).toEqual({ action: "retry", delayMs: 30_000 });
    expect(decide(transient, 4, policy)).toEqual({
      action: "fail",
      reason: "http_503: down (after 4 attempts)",
    });
    const gone = new DeliveryError("permanent", "channel_not_found", "gone");
    expect(decide(gone, 1, policy)).toEqual({ action: "disable", reason: "channel_not_found: gone" });
    const badMessage = new DeliveryError("permanent", "invalid_blocks", "bad");
    expect(decide(badMessage, 1, policy).action).toBe("fail");
  });

  it("tells platform outages from a channel's own trouble", () => {
    const t = (code: string, after?: number) => new DeliveryError("transient", code, "x", after);
    expect(
      ["network", "timeout", "http_502", "ECONNRESET", "UND_ERR_CONNECT_TIMEOUT"].map((c) => isOutage(t(c))),
    ).toEqual([true, true, true, true, true]);
    expect(isOutage(t("http_429", 1000))).toBe(false);
    expect(isOutage(t("50035"))).toBe(false);
    expect(isOutage(new DeliveryError("permanent", "network", "x"))).toBe(false);
  });
});

describe("flood planning", () => {
  const p = floodPolicy({ floodThreshold: 5, floodWindowMs: 60_000 }, 1000);
  const quiet = { sentInWindow: 0, lastSentAt: null, lastBatchAt: null };

  it("sends alerts one by one within the threshold, and a whole backlog above it as one summary", () => {
    expect(planChannel([1, 2, 3], quiet, 0, p)).toEqual({ kind: "alert", rows: [1] });
    expect(planChannel([1, 2, 3, 4, 5, 6], quiet, 0, p)).toEqual({ kind: "batch", rows: [1, 2, 3, 4, 5, 6] });
    const backlog = Array.from({ length: 2000 }, (_, i) => i);
    expect(planChannel(backlog, quiet, 0, p)).toEqual({ kind: "batch", rows: backlog.slice(0, 1000) });
  });

  it("holds a trickle that overflows the window for a window, then sends what gathered as one summary", () => {
    const busy = { sentInWindow: 5, lastSentAt: 1000, lastBatchAt: null };
    expect(p.holdMs).toBe(60_000);
    expect(planChannel([7], busy, 2000, p)).toEqual({ kind: "hold", until: 61_000 });
    expect(planChannel([7, 8], busy, 61_000, p)).toEqual({ kind: "batch", rows: [7, 8] });
    expect(planChannel([7], busy, 61_000, p)).toEqual({ kind: "alert", rows: [7] });
    expect(planChannel([], busy, 61_000, p)).toEqual({ kind: "none" });
  });

  it("sends at most one summary per window: a second backlog waits for the window to pass", () => {
    const summarised = { sentInWindow: 2000, lastSentAt: 1000, lastBatchAt: 1000 };
    const backlog = Array.from({ length: 300 }, (_, i) => i);
    expect(planChannel(backlog, summarised, 5000, p)).toEqual({ kind: "hold", until: 61_000 });
    // A burst after a few single alerts (no summary yet) goes at once.
    const few = { sentInWindow: 3, lastSentAt: 1000, lastBatchAt: null };
    expect(planChannel(backlog, few, 2000, p)).toEqual({ kind: "batch", rows: backlog });
  });
});

describe("pacer", () => {
  it("allows at most N sends in any window per channel, counted from each answer, with a small margin", () => {
    const pacer = new Pacer(
      { slack: { perChannel: { count: 1, perMs: 1000 } }, discord: {}, console: {} },
      0.02,
    );
    expect(pacer.readyAt("slack", "a").at).toBe(0);
    const send = pacer.take("slack", "a", 5000);
    // In flight: the platform may see it at any moment, so the channel's one place is taken until it answers.
    expect(pacer.readyAt("slack", "a")).toEqual({ at: Number.POSITIVE_INFINITY, scope: "channel" });
    send.done(5030);
    expect(pacer.readyAt("slack", "a")).toEqual({ at: 6050, scope: "channel" });
    send.done(9000);
    expect(pacer.readyAt("slack", "a").at).toBe(6050);
    expect(pacer.readyAt("slack", "b").at).toBe(0);
  });

  it("holds the platform back at its global limit, and a channel after a retry-after", () => {
    const pacer = new Pacer(
      {
        slack: {},
        console: {},
        discord: { global: { count: 3, perMs: 1000 }, perChannel: { count: 2, perMs: 5000 } },
      },
      0,
    );
    pacer.take("discord", "a", 0).done(0);
    pacer.take("discord", "a", 10).done(10);
    expect(pacer.readyAt("discord", "a")).toEqual({ at: 5000, scope: "channel" });
    pacer.take("discord", "b", 20).done(20);
    expect(pacer.readyAt("discord", "c")).toEqual({ at: 1000, scope: "platform" });
    pacer.penalise("c", 9000);
    expect(pacer.readyAt("discord", "c")).toEqual({ at: 9000, scope: "channel" });
  });

  it("books a send the event loop held up from its late answer, so the next window opens after its arrival", () => {
    const pacer = new Pacer({ slack: {}, console: {}, discord: { global: { count: 3, perMs: 1000 } } }, 0);
    // Three sends start together; a 200 ms stall delays them on the way out and their answers with them.
    const sends = ["a", "b", "c"].map((ref) => pacer.take("discord", ref, 100));
    expect(pacer.readyAt("discord", "d").at).toBe(Number.POSITIVE_INFINITY);
    sends[0]?.done(120);
    // Two are still in flight: one place frees once the first answer is a window old.
    expect(pacer.readyAt("discord", "d").at).toBe(1120);
    sends[2]?.done(330);
    sends[1]?.done(310);
    // The platform saw them by 330 at the latest: a fourth send waits until one window after the first answer,
    // a fifth after the second; booked from their start (100), both would have gone at 1100, too early for the
    // later two arrivals.
    expect(pacer.readyAt("discord", "d").at).toBe(1120);
    pacer.take("discord", "d", 1120).done(1130);
    expect(pacer.readyAt("discord", "e").at).toBe(1310);
  });
});

describe("platform circuit", () => {
  it("opens after consecutive outages, lets one probe through, and closes on any answer", () => {
    const h = new PlatformHealth({ threshold: 2, baseMs: 1000, maxMs: 4000, random: () => 0 });
    expect(h.outage("slack", 0, false)).toBeNull();
    expect(h.outage("slack", 0, false)).toBe(500);
    expect(h.sendableAt("slack")).toBe(500);
    expect(h.startSend("slack")).toBe(true);
    expect(h.sendableAt("slack")).toBe(Number.POSITIVE_INFINITY);
    expect(h.outage("slack", 500, true)).toBe(1500);
    h.reachable("slack");
    expect(h.isOpen("slack")).toBe(false);
    expect(h.sendableAt("slack")).toBe(0);
  });
});
