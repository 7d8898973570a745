// Bulk arrivals: a backlog above the flood threshold reaches a channel as one summary per window, every row once.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBatch } from "../../src/chat/console/render.js";
import type { Analysis } from "../../src/core/article.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { FakeAdapter } from "../helpers/fake-adapter.js";
import { tempDir } from "../helpers/tmp.js";
import { VirtualTime } from "../helpers/virtual-time.js";
import { alertsConfig, deliveries, openStore, save, tags } from "./fixtures.js";
import { type Harness, make } from "./harness.js";

const LOCAL = "console:local";
const WINDOW = 60_000;

/** Story i is about APT40 (half), Volt Typhoon (a third) or Sandworm (the rest); most mention New Zealand. */
function analysis(i: number): Analysis {
  const actor = i % 6 < 3 ? "APT40" : i % 6 < 5 ? "Volt Typhoon" : "Sandworm";
  return tags([actor], i % 4 === 0 ? { AU: ["mentioned"] } : { NZ: ["mentioned"] });
}

async function backlog(store: SqliteStoryStore, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) await save(store, `/b${i}.txt`, `Backlog story ${i}`, analysis(i));
}

function setup(o: { path?: string; store?: SqliteStoryStore; time?: VirtualTime } = {}) {
  const time = o.time ?? new VirtualTime();
  const fake = new FakeAdapter("console", () => time.now());
  const alerts = alertsConfig({ floodThreshold: 5, floodWindowMs: WINDOW });
  const h: Harness = make({ ...o, adapters: [fake], alerts, clock: time, timers: time, pollMs: 2_000 });
  return { h, fake, time };
}

/** Every outbox row sent (a count, not a read of every row: it is checked between every two timers). */
const settled = (h: Harness) => () =>
  h.store.db.prepare("SELECT count(*) FROM deliveries WHERE status != 'sent'").pluck().get() === 0;

describe("a bulk arrival", () => {
  it("gives a channel one summary for a 2,000-story backlog, naming the top actors, every row sent once", async () => {
    const { h, fake, time } = setup();
    await h.store.subscribe(LOCAL, "all", "ana");
    await backlog(h.store, 2000);
    const start = time.now();
    h.dispatcher.start();
    await time.runUntil(settled(h), WINDOW, "the backlog sent");
    // Nothing more follows within the window.
    await time.runUntil(() => time.now() >= start + WINDOW - 1, WINDOW, "the window's end");
    const sent = fake.delivered(LOCAL);
    expect(sent).toHaveLength(1);
    const message = sent[0]?.message;
    if (message?.kind !== "batch") throw new Error(`expected a summary, got ${message?.kind}`);
    expect(message.total).toBe(2000);
    expect(message.top?.slice(0, 2)).toEqual(["APT40", "Volt Typhoon"]);
    expect(message.alerts.length).toBeLessThanOrEqual(10);
    const text = renderBatch(message.alerts, message.reason, 100, message.total, message.top);
    expect(text).toContain("2000 new stories, most about APT40, Volt Typhoon");
    expect(text).toContain("more: /cyber latest");
    const rows = deliveries(h.store, LOCAL);
    expect(rows).toHaveLength(2000);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1 && r.batched === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set([sent[0]?.messageId]));
  });

  it("gathers a second backlog arriving within the window into one more summary, a window later", async () => {
    const { h, fake, time } = setup();
    await h.store.subscribe(LOCAL, "all", "ana");
    await backlog(h.store, 2000);
    h.dispatcher.start();
    await time.runUntil(settled(h), WINDOW, "the first summary");
    await backlog(h.store, 300, 2000);
    await time.runUntil(settled(h), 2 * WINDOW, "the second summary");
    const sent = fake.delivered(LOCAL);
    expect(sent.map((c) => c.message.kind === "batch" && c.message.total)).toEqual([2000, 300]);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(WINDOW);
    const rows = deliveries(h.store, LOCAL);
    expect(rows).toHaveLength(2300);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("leaves normal traffic alone: under the threshold each story is its own alert", async () => {
    const { h, fake, time } = setup();
    await h.store.subscribe(LOCAL, "all", "ana");
    await backlog(h.store, 5);
    h.dispatcher.start();
    await time.runUntil(settled(h), WINDOW, "five alerts");
    expect(fake.delivered(LOCAL).map((c) => c.message.kind)).toEqual(Array(5).fill("alert"));
    expect(deliveries(h.store, LOCAL).every((r) => r.batched === 0)).toBe(true);
  });

  it("after a crash mid-backlog, every row still ends sent once, and the window's summary limit holds", async () => {
    const path = join(tempDir(), "cb.db");
    const time = new VirtualTime();
    const crashed = openStore(path, time);
    await crashed.subscribe(LOCAL, "all", "ana");
    await backlog(crashed, 1200);
    // A summary of the first 1,000 went out and was recorded just before the kill...
    const ids = deliveries(crashed).map((d) => d.id);
    await crashed.outbox.claim(ids.slice(0, 1000), time.now());
    await crashed.outbox.markSent(ids.slice(0, 1000), "m0", time.now(), true);
    // ...then the next 200 were claimed for a send the kill interrupted, and 800 more arrived after.
    await crashed.outbox.claim(ids.slice(1000), time.now());
    await backlog(crashed, 800, 1200);
    crashed.db.close();

    const { h, fake } = setup({ path, time });
    expect(deliveries(h.store).filter((d) => d.status === "sending")).toHaveLength(200);
    const start = time.now();
    h.dispatcher.start();
    await time.runUntil(settled(h), 2 * WINDOW, "the rest sent");
    const sent = fake.delivered(LOCAL);
    expect(sent.map((c) => c.message.kind === "batch" && c.message.total)).toEqual([1000]);
    // The summary recorded before the crash still counts: the next one waits out its window.
    expect((sent[0]?.at ?? 0) - start).toBeGreaterThanOrEqual(WINDOW);
    const rows = deliveries(h.store, LOCAL);
    expect(rows).toHaveLength(2000);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.slice(0, 1000).every((r) => r.message_id === "m0")).toBe(true);
    expect(new Set(rows.slice(1000).map((r) => r.message_id))).toEqual(new Set([sent[0]?.messageId]));
  });
});
