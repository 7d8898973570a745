// Sending later sources of an event: one reply in the alert's thread with the alert rebuilt to count the sources,
// at most one per thread per flood window; and what happens when the alert is queued, summarised or failed.

import { describe, expect, it } from "vitest";
import type { Outbound } from "../../src/chat/types.js";
import { FakeAdapter } from "../helpers/fake-adapter.js";
import { VirtualTime } from "../helpers/virtual-time.js";
import { saveSource } from "./events.js";
import { alertsConfig, deliveries, save, tags } from "./fixtures.js";
import { type Harness, make } from "./harness.js";

const NZ = "slack:T1/CNZ";
const WINDOW = 60_000;
const NZ_TAGS = tags(["APT40"], { NZ: ["mentioned"] });

function setup(alerts = {}) {
  const time = new VirtualTime();
  const fake = new FakeAdapter("slack", () => time.now());
  const config = alertsConfig({ floodWindowMs: WINDOW, ...alerts });
  const h = make({ adapters: [fake], alerts: config, clock: time, timers: time, pollMs: 2_000 });
  return { h, fake, time };
}

const settled = (h: Harness) => () =>
  h.store.db
    .prepare("SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')")
    .pluck()
    .get() === 0;
const replies = (fake: FakeAdapter) =>
  fake.delivered(NZ).flatMap((c) => (c.message.kind === "source" ? [{ ...c, message: c.message }] : []));
const kinds = (fake: FakeAdapter) => fake.delivered(NZ).map((c) => c.message.kind);

async function alerted(o: { alerts?: object } = {}) {
  const s = setup(o.alerts);
  await s.h.store.subscribe(NZ, "country:NZ", "ana");
  await save(s.h.store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
  s.h.dispatcher.start();
  await s.time.runUntil(settled(s.h), WINDOW, "the alert");
  return s;
}

describe("a later source of an alerted event", () => {
  it("is one reply under the posted alert, which is rebuilt to count '+1 source'; the reply says what it adds", async () => {
    const { h, fake, time } = await alerted();
    const posted = fake.delivered(NZ)[0]?.messageId;
    const more = tags(["APT40", "APT41"], { NZ: ["mentioned"], CN: ["sponsor"], AU: ["mentioned"] });
    await saveSource(h.store, "/b.txt", "APT40 and APT41 hit NZ, China blamed", more, "/a.txt");
    await time.runUntil(settled(h), WINDOW, "the reply");
    const [reply] = replies(fake);
    expect(reply?.message).toMatchObject({
      kind: "source",
      alert: { story: { title: "APT40 and APT41 hit NZ, China blamed" }, reason: "subscribed to country:NZ" },
      added: ["APT41", "CN (blamed)", "AU"],
      others: [],
      total: 1,
      parent: { messageId: posted, alert: { story: { title: "APT40 hits NZ", sources: 1 } } },
    });
    const row = deliveries(h.store, NZ).find((d) => d.kind === "source");
    expect(row).toMatchObject({ status: "sent", message_id: reply?.messageId, attempts: 1 });
    expect(kinds(fake)).toEqual(["alert", "source"]);
  });

  it("gathers a burst of copies into one reply counting them all; a copy within the window waits for its end", async () => {
    const { h, fake, time } = await alerted();
    for (const n of [1, 2, 3, 4, 5]) await saveSource(h.store, `/c${n}.txt`, `Copy ${n}`, NZ_TAGS, "/a.txt");
    await time.runUntil(settled(h), WINDOW, "the burst");
    const [burst] = replies(fake);
    expect(burst?.message.total).toBe(5);
    expect(burst?.message.alert.story.title).toBe("Copy 1");
    expect(burst?.message.others.map((c) => c.title)).toEqual(["Copy 2", "Copy 3", "Copy 4", "Copy 5"]);
    expect(burst?.message.parent.alert.story.sources).toBe(5);
    expect(burst?.message.added).toEqual([]);
    const rows = deliveries(h.store, NZ).filter((d) => d.kind === "source");
    expect(rows.map((r) => [r.status, r.message_id])).toEqual(rows.map(() => ["sent", burst?.messageId]));
    await saveSource(h.store, "/c6.txt", "Copy 6", NZ_TAGS, "/a.txt");
    await time.runUntil(() => replies(fake).length === 2, 2 * WINDOW, "the next reply");
    const [, next] = replies(fake);
    expect(next?.at).toBe((burst?.at ?? 0) + WINDOW);
    expect(next?.message.parent.alert.story.sources).toBe(6);
    expect(kinds(fake)).toEqual(["alert", "source", "source"]);
  });

  it("is not posted while the alert is still queued: the alert counts its sources itself", async () => {
    const { h, fake, time } = setup();
    await h.store.subscribe(NZ, "country:NZ", "ana");
    await save(h.store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    await saveSource(h.store, "/b.txt", "Copy", NZ_TAGS, "/a.txt");
    // The alert waits (a flood hold, a retry); the reply is due first.
    h.store.db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE kind = 'alert'").run(time.now() + WINDOW);
    h.dispatcher.start();
    await time.runUntil(settled(h), 2 * WINDOW, "both rows");
    const source = deliveries(h.store, NZ).find((d) => d.kind === "source");
    expect(source).toMatchObject({ status: "cancelled" });
    expect(source?.last_error).toBe(
      "not posted: the event's alert is still queued and counts its sources itself when it goes",
    );
    expect(kinds(fake)).toEqual(["alert"]);
  });

  it("is not posted when the alert went out in a flood summary (no thread to reply in)", async () => {
    const { h, fake, time } = setup({ floodThreshold: 2 });
    await h.store.subscribe(NZ, "country:NZ", "ana");
    for (const n of [1, 2, 3]) await save(h.store, `/${n}.txt`, `NZ story ${n}`, NZ_TAGS);
    h.dispatcher.start();
    await time.runUntil(settled(h), WINDOW, "the summary");
    await saveSource(h.store, "/copy.txt", "Copy of story 2", NZ_TAGS, "/2.txt");
    await time.runUntil(settled(h), WINDOW, "the reply's fate");
    const source = deliveries(h.store, NZ).find((d) => d.kind === "source");
    expect(source?.status).toBe("cancelled");
    expect(source?.last_error).toBe(
      "not posted: the event went out in a flood summary, which has no thread to reply in",
    );
    expect(kinds(fake)).toEqual(["batch"]);
  });

  it("goes out as the channel's alert of the event when the alert was never delivered; the rest of its burst not", async () => {
    const { h, fake, time } = setup({ maxAttempts: 1 });
    await h.store.subscribe(NZ, "country:NZ", "ana");
    await save(h.store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    await saveSource(h.store, "/b.txt", "Wire copy", NZ_TAGS, "/a.txt");
    await saveSource(h.store, "/c.txt", "Second copy", NZ_TAGS, "/a.txt");
    fake.script(NZ, { kind: "transient", code: "http_500" });
    h.dispatcher.start();
    await time.runUntil(settled(h), WINDOW, "every row");
    const [posted] = fake.delivered(NZ);
    const message: Outbound | undefined = posted?.message;
    expect(message).toMatchObject({
      kind: "alert",
      alert: {
        story: { title: "Wire copy" },
        reason: "subscribed to country:NZ; earlier reports were not delivered",
      },
    });
    expect(deliveries(h.store, NZ).map((d) => [d.kind, d.status])).toEqual([
      ["alert", "failed"],
      ["source", "sent"],
      ["source", "cancelled"],
    ]);
    expect(deliveries(h.store, NZ)[2]?.last_error).toMatch(
      /^not posted: the event's alert was not delivered/,
    );
  });
});
