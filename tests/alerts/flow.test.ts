// The dispatcher over time: flood digests, pacing, and resuming after a stop, a restart or a crash.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FakeAdapter } from "../helpers/fake-adapter.js";
import { tempDir, waitFor } from "../helpers/tmp.js";
import { VirtualTime } from "../helpers/virtual-time.js";
import { alertsConfig, deliveries, openStore, save, statuses, tags } from "./fixtures.js";
import { adapter, type Harness, harness, make } from "./harness.js";

const LOCAL = "console:local";

async function stories(h: Harness, n: number, from = 0) {
  for (let i = from; i < from + n; i++) await save(h.store, `/s${i}.txt`, `Story ${i}`, tags([]));
}

describe("floods", () => {
  it("sends a few stories one by one, and forty at once as one summary", async () => {
    const h = make();
    await h.store.subscribe(LOCAL, "all", "ana");
    await stories(h, 40);
    await h.store.subscribe("console:quiet", "all", "ana");
    await stories(h, 3, 40);
    h.dispatcher.start();
    await waitFor(() => !statuses(h.store).includes("pending"), 3000, "all sent");
    const fake = adapter(h);
    expect(fake.delivered("console:quiet").map((c) => c.message.kind)).toEqual(["alert", "alert", "alert"]);
    const local = fake.delivered(LOCAL);
    expect(local[0]?.message).toMatchObject({
      kind: "batch",
      reason: "subscribed to all",
    });
    expect(local.map((c) => (c.message.kind === "batch" ? c.message.total : 1))).toEqual([43]);
    expect(new Set(deliveries(h.store, LOCAL).map((d) => d.message_id)).size).toBe(1);
  });

  it("holds a trickle that overflows the window and sends it as one summary", async () => {
    // A 1 s window with a threshold of 5: what overflows waits a window (of virtual time: no waiting).
    const time = new VirtualTime();
    const alerts = alertsConfig({ floodWindowMs: 1000, floodThreshold: 5 });
    const h = make({ alerts, clock: time, timers: time });
    await h.store.subscribe(LOCAL, "all", "ana");
    h.dispatcher.start();
    await stories(h, 5);
    const fake = adapter(h);
    await time.runUntil(() => fake.delivered().length === 5, 10_000, "five single alerts");
    await stories(h, 2, 5);
    await time.runUntil(() => fake.delivered().length === 6, 10_000, "the digest");
    const [last5, digest] = [fake.delivered()[4], fake.delivered()[5]];
    expect(digest?.message).toMatchObject({ kind: "batch" });
    expect(digest?.message.kind === "batch" && digest.message.alerts.map((a) => a.story.title)).toEqual([
      "Story 5",
      "Story 6",
    ]);
    expect((digest?.at ?? 0) - (last5?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });
});

describe("pacing", () => {
  it("spaces a channel's messages and caps the platform's total rate", async () => {
    const pacing = {
      console: { perChannel: { count: 1, perMs: 100 } },
      discord: { global: { count: 2, perMs: 100 } },
      slack: {},
    };
    // Virtual time: the gaps below are the dispatcher's decisions, not how busy the machine was.
    const time = new VirtualTime();
    const h = make({ platforms: ["console", "discord"], pacing, clock: time, timers: time });
    await h.store.subscribe(LOCAL, "all", "ana");
    for (const c of ["1", "2", "3", "4", "5", "6"]) await h.store.subscribe(`discord:G/${c}`, "all", "ana");
    await stories(h, 3);
    h.dispatcher.start();
    await time.runUntil(() => !statuses(h.store).includes("pending"), 60_000, "all sent");
    const times = adapter(h)
      .delivered(LOCAL)
      .map((c) => c.at);
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(100);
    const discord = adapter(h, "discord").calls.map((c) => c.at);
    expect(discord).toHaveLength(18);
    // Any three consecutive sends span at least one window: never more than two in 100 ms.
    for (let i = 2; i < discord.length; i++)
      expect((discord[i] ?? 0) - (discord[i - 2] ?? 0)).toBeGreaterThanOrEqual(100);
  });
});

describe("resuming", () => {
  it("hands sends in flight back at stop, and the next run on the same file delivers them once", async () => {
    const path = join(tempDir(), "cb.db");
    const h1 = harness({ path, stopTimeoutMs: 50 });
    await h1.store.subscribe(LOCAL, "all", "ana");
    await h1.store.subscribe("console:slow", "all", "ana");
    adapter(h1).script("console:slow", { kind: "hang" });
    await stories(h1, 1);
    h1.dispatcher.start();
    await waitFor(() => adapter(h1).calls.length === 2);
    await h1.close();
    const store = openStore(path);
    expect(statuses(store)).toEqual(["sent", "pending"]);
    const h2 = make({ store });
    h2.dispatcher.start();
    await stories(h2, 1, 1);
    await waitFor(() => statuses(store).every((s) => s === "sent"));
    expect(adapter(h2).storyIds(LOCAL)).toHaveLength(1);
    expect(adapter(h2).storyIds("console:slow")).toHaveLength(2);
    const first = adapter(h1)
      .delivered(LOCAL)
      .map((c) => c.message.kind === "alert" && c.message.alert.story.id);
    expect(adapter(h2).storyIds(LOCAL)).not.toContain(first[0]);
  });

  it("after a crash, rows left sending go out again: at least once", async () => {
    const path = join(tempDir(), "cb.db");
    const crashed = openStore(path);
    await crashed.subscribe(LOCAL, "all", "ana");
    await save(crashed, "/a.txt", "Interrupted", tags([]));
    await save(crashed, "/b.txt", "Never started", tags([]));
    // What a SIGKILL mid-send leaves behind: one row claimed and never settled.
    await crashed.outbox.claim([deliveries(crashed)[0]?.id ?? 0], Date.now());
    crashed.db.close();
    const fake = new FakeAdapter("console");
    const h = make({ path, adapters: [fake] });
    expect(statuses(h.store)).toEqual(["sending", "pending"]);
    h.dispatcher.start();
    await waitFor(() => statuses(h.store).every((s) => s === "sent"));
    expect(fake.storyIds(LOCAL)).toHaveLength(2);
    expect(h.logs.find((l) => l.msg.includes("resuming"))).toMatchObject({ recovered: 1 });
  });
});
