// The dispatcher against a scripted fake adapter: delivery, retries, permanent failures, hangs, 429s and outages.

import { describe, expect, it } from "vitest";
import { waitFor } from "../helpers/tmp.js";
import { alertsConfig, deliveries, ManualClock, save, statuses, tags } from "./fixtures.js";
import { adapter, make } from "./harness.js";

const NZ = "slack:T1/CNZ";
const LOCAL = "console:local";

describe("delivery", () => {
  it("sends each routed story once per channel through its platform, right after it is stored", async () => {
    const h = make({ platforms: ["console", "slack"], pollMs: 60_000 });
    await h.store.subscribe(NZ, "country:NZ", "ana");
    await h.store.subscribe(LOCAL, "all", "ana");
    h.dispatcher.start();
    await waitFor(() => adapter(h, "slack").connectedChecks > 0, 2000, "the first pass");
    // pollMs is a minute and the first pass found nothing: only the routing nudge can make this prompt.
    await save(
      h.store,
      "/a.txt",
      "APT40 targets NZ",
      tags(["APT40"], { NZ: ["mentioned"], CN: ["sponsor"] }),
    );
    await waitFor(() => statuses(h.store).every((s) => s === "sent"), 2000, "both sent");
    const [call] = adapter(h, "slack").delivered(NZ);
    expect(call?.message).toMatchObject({
      kind: "alert",
      alert: {
        reason: "subscribed to country:NZ",
        story: {
          title: "APT40 targets NZ",
          actors: [{ id: "APT40", name: "APT40", alias: "Leviathan" }],
          countries: [
            { code: "CN", roles: ["sponsor"], flag: "🇨🇳" },
            { code: "NZ", roles: ["mentioned"], flag: "🇳🇿" },
          ],
          source: "a.txt",
        },
      },
    });
    expect(adapter(h, "console").storyIds(LOCAL)).toHaveLength(1);
    expect(deliveries(h.store, NZ)[0]).toMatchObject({
      status: "sent",
      attempts: 1,
      message_id: call?.messageId,
    });
  });

  it("keeps rows of a platform without a connected adapter pending, and sends them when it connects", async () => {
    const h = make({ platforms: ["console", "slack"] });
    const slack = adapter(h, "slack");
    slack.connected = false;
    await h.store.subscribe(NZ, "all", "ana");
    await h.store.subscribe("discord:G1/1", "all", "ana");
    h.dispatcher.start();
    await save(h.store, "/a.txt", "While Slack is away", tags([]));
    const checks = slack.connectedChecks;
    await waitFor(() => slack.connectedChecks > checks + 3, 2000, "several dispatcher passes");
    expect(slack.calls).toEqual([]);
    expect(statuses(h.store)).toEqual(["pending", "pending"]);
    slack.connected = true;
    await waitFor(() => slack.delivered(NZ).length === 1, 2000, "delivery after reconnect");
    // Discord has no adapter at all here: its row waits for one, it does not fail.
    expect(statuses(h.store, "discord:G1/1")).toEqual(["pending"]);
  });
});

describe("failures", () => {
  it("retries a transient failure with backoff, and fails after the attempt limit with the reason", async () => {
    const h = make({ alerts: alertsConfig({ maxAttempts: 3 }) });
    const fake = adapter(h);
    fake.script(LOCAL, { kind: "transient", code: "50035" }, { kind: "transient", code: "50035" });
    fake.script("console:other", { kind: "transient", code: "50035" }, { kind: "transient", code: "50035" });
    fake.script("console:other", { kind: "transient", code: "50035" });
    await h.store.subscribe(LOCAL, "all", "ana");
    await h.store.subscribe("console:other", "all", "ana");
    await save(h.store, "/a.txt", "Flaky", tags([]));
    h.dispatcher.start();
    await waitFor(() => !statuses(h.store).includes("pending") && !statuses(h.store).includes("sending"));
    expect(deliveries(h.store, LOCAL)[0]).toMatchObject({ status: "sent", attempts: 3 });
    expect(deliveries(h.store, "console:other")[0]).toMatchObject({
      status: "failed",
      attempts: 3,
      last_error: "50035: scripted transient failure (after 3 attempts)",
    });
    expect(fake.calls.filter((c) => c.channelRef === "console:other")).toHaveLength(3);
    expect(h.dispatcher.counters).toMatchObject({ sent: 1, failed: 1, retried: 4 });
    expect(await h.store.outbox.stats()).toMatchObject({ failed: 1, sent: 1, pending: 0 });
  });

  it("on a permanent failure disables the channel, cancels its other alerts and posts one notice", async () => {
    const h = make();
    const fake = adapter(h);
    fake.script(LOCAL, { kind: "permanent", code: "missing_access" });
    await h.store.subscribe(LOCAL, "country:NZ", "ana");
    await h.store.subscribe(LOCAL, "all", "ana");
    await save(h.store, "/a.txt", "One", tags([], { NZ: ["mentioned"] }));
    await save(h.store, "/b.txt", "Two", tags([]));
    h.dispatcher.start();
    await waitFor(() => fake.calls.length === 2, 2000, "alert and notice");
    expect(fake.calls.map((c) => `${c.message.kind}:${c.outcome}`)).toEqual(["alert:permanent", "notice:ok"]);
    const notice = fake.calls[1]?.message;
    expect(notice?.kind === "notice" && notice.reply.text.join(" ")).toMatch(
      /alerts are switched off: missing_access: scripted permanent failure\..*\/cyber subscribe all, \/cyber subscribe country:NZ/,
    );
    expect(statuses(h.store)).toEqual(["failed", "cancelled"]);
    expect(
      (await h.store.subscriptions(LOCAL)).every((s) => s.disabledReason?.startsWith("missing_access")),
    ).toBe(true);
    expect(h.logs.find((l) => l.level === 40 && l.msg.includes("subscriptions are disabled"))).toMatchObject({
      channelRef: LOCAL,
      tags: ["all", "country:NZ"],
      cancelled: 1,
    });
    // Nothing more is routed to a disabled channel.
    await save(h.store, "/c.txt", "Three", tags([]));
    expect(deliveries(h.store)).toHaveLength(2);
  });

  it("ignores a notice that cannot be posted", async () => {
    const h = make();
    adapter(h).always(LOCAL, { kind: "permanent", code: "channel_not_found" });
    await h.store.subscribe(LOCAL, "all", "ana");
    await save(h.store, "/a.txt", "Gone", tags([]));
    h.dispatcher.start();
    await waitFor(() => adapter(h).calls.length === 2);
    expect(statuses(h.store)).toEqual(["failed"]);
    expect(h.dispatcher.counters.disabled).toBe(1);
  });

  it("times out a hung send, retries it, and ignores the late answer", async () => {
    const h = make({ alerts: alertsConfig({ sendTimeoutMs: 100 }) });
    const fake = adapter(h);
    fake.script(LOCAL, { kind: "hang" });
    await h.store.subscribe(LOCAL, "all", "ana");
    h.dispatcher.start();
    await save(h.store, "/a.txt", "Slow", tags([]));
    await waitFor(() => statuses(h.store)[0] === "sent");
    expect(fake.calls.map((c) => c.outcome)).toEqual(["hang", "ok"]);
    expect(deliveries(h.store)[0]).toMatchObject({ attempts: 2, message_id: fake.calls[1]?.messageId });
    expect(h.dispatcher.counters.timeouts).toBe(1);
    fake.releaseHung();
    await new Promise((r) => setImmediate(r));
    expect(deliveries(h.store)[0]).toMatchObject({ message_id: fake.calls[1]?.messageId });
  });

  it("waits out a 429's retry delay before trying the channel again", async () => {
    const clock = new ManualClock();
    const h = make({ clock });
    const fake = adapter(h);
    fake.script(LOCAL, { kind: "transient", code: "ratelimited", retryAfterMs: 30_000 });
    await h.store.subscribe(LOCAL, "all", "ana");
    await save(h.store, "/a.txt", "Busy", tags([]));
    const t0 = clock.now();
    h.dispatcher.start();
    await waitFor(() => deliveries(h.store)[0]?.status === "pending" && fake.calls.length === 1);
    expect(deliveries(h.store)[0]?.next_attempt_at).toBe(t0 + 30_000);
    clock.advance(29_999);
    h.dispatcher.nudge();
    const checks = fake.connectedChecks;
    await waitFor(() => fake.connectedChecks > checks + 2);
    expect(fake.calls).toHaveLength(1);
    clock.advance(1);
    h.dispatcher.nudge();
    await waitFor(() => deliveries(h.store)[0]?.status === "sent");
    expect(h.dispatcher.counters.rateLimited).toBe(1);
  });

  it("does not let a platform outage use up the attempt limit: the alert goes out when it is back", async () => {
    const h = make({ alerts: alertsConfig({ maxAttempts: 3 }), outageThreshold: 2 });
    const fake = adapter(h);
    fake.always(LOCAL, { kind: "transient", code: "network" });
    await h.store.subscribe(LOCAL, "all", "ana");
    await save(h.store, "/a.txt", "During the outage", tags([]));
    h.dispatcher.start();
    await waitFor(() => fake.calls.length >= 8, 5000, "eight tries");
    expect(statuses(h.store)).not.toContain("failed");
    expect(deliveries(h.store)[0]?.attempts).toBeLessThan(3);
    expect(h.logs.filter((l) => l.msg.includes("platform unreachable"))).toHaveLength(1);
    fake.clear(LOCAL);
    await waitFor(() => statuses(h.store)[0] === "sent");
    expect(fake.delivered()).toHaveLength(1);
  });
});
