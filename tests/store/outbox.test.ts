// The outbox: routing in the save transaction, one row per (story, channel) across re-ingest, revisions and restarts.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { routeStory } from "../../src/alerts/routing.js";
import { SUBSCRIBERS } from "../../src/store/sqlite/outbox-tx.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, deliveries, file, ManualClock, openStore, save, tags } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const NZ = "slack:T1/CNZ";
const CN_BLAME = "discord:G1/200";
const APT = "slack:T1/CAPT";
const ALL = "console:local";
const AU = "discord:G1/300";

async function subscribed(store: SqliteStoryStore) {
  await store.subscribe(NZ, "country:NZ", "ana");
  await store.subscribe(CN_BLAME, "sponsor:CN", "ben");
  await store.subscribe(APT, "actor:APT40", "cat");
  await store.subscribe(ALL, "all", "dan");
  await store.subscribe(AU, "country:AU", "eve");
}

const routed = (store: SqliteStoryStore) =>
  deliveries(store)
    .map((d) => `${d.channel_ref} ${d.tags}`)
    .sort();

describe("routing", () => {
  it("queues one delivery per matching channel, by role for sponsor tags", async () => {
    const store = openStore();
    await subscribed(store);
    await save(store, "/a.txt", "APT40 hits NZ", tags(["APT40"], { NZ: ["mentioned"], CN: ["sponsor"] }));
    await save(store, "/b.txt", "China mentioned only", tags([], { CN: ["mentioned"] }));
    const rows = deliveries(store);
    expect(
      rows
        .filter((r) => r.story_rowid === 1)
        .map((r) => r.channel_ref)
        .sort(),
    ).toEqual([ALL, APT, CN_BLAME, NZ].sort());
    // sponsor:CN wants stories that blame China, not ones that merely mention it.
    expect(rows.filter((r) => r.story_rowid === 2).map((r) => r.channel_ref)).toEqual([ALL]);
    expect(rows.every((r) => r.status === "pending" && r.attempts === 0)).toBe(true);
    await store.close();
  });

  it("gives a channel with overlapping tags one row naming every tag that matched", async () => {
    const store = openStore();
    await store.subscribe(NZ, "country:NZ", "ana");
    await store.subscribe(NZ, "actor:APT40", "ana");
    await store.subscribe(NZ, "all", "ana");
    await store.subscribe(NZ, "sponsor:CN", "ana");
    await save(
      store,
      "/a.txt",
      "Overlap",
      tags(["APT40"], { NZ: ["mentioned"], CN: ["sponsor", "mentioned"] }),
    );
    expect(routed(store)).toEqual([`${NZ} actor:APT40, all, country:NZ, sponsor:CN`]);
    await store.close();
  });

  it("never adds a second row on re-ingest, a duplicate file, or a revision with the same tags", async () => {
    const store = openStore();
    await subscribed(store);
    const t = tags(["APT40"], { NZ: ["mentioned"] });
    await save(store, "/a.txt", "First", t);
    const before = routed(store);
    expect(before).toHaveLength(3);
    expect((await save(store, "/a.txt", "First", t)).kind).toBe("unchanged");
    expect((await save(store, "/copy.txt", "First", t)).kind).toBe("duplicate");
    expect((await save(store, "/a.txt", "First", t, "First, edited.")).kind).toBe("revised");
    expect(deliveries(store).filter((d) => d.story_rowid === 1)).toHaveLength(3);
    await store.close();
  });

  it("routes a revision that adds a tag only to the channels that newly match", async () => {
    const store = openStore();
    await subscribed(store);
    await save(store, "/a.txt", "NZ only", tags([], { NZ: ["mentioned"] }));
    const first = deliveries(store).map((d) => d.id);
    expect(routed(store)).toEqual([`${ALL} all`, `${NZ} country:NZ`]);
    await save(store, "/a.txt", "NZ and AU", tags([], { NZ: ["mentioned"], AU: ["mentioned"] }), "Edited.");
    const after = deliveries(store);
    expect(after.filter((d) => !first.includes(d.id)).map((d) => d.channel_ref)).toEqual([AU]);
    await store.close();
  });

  it("keeps exactly one row per (story, channel) across a restart on the same file", async () => {
    const path = join(tempDir(), "cb.db");
    const a = openStore(path);
    await subscribed(a);
    await save(a, "/a.txt", "Before restart", tags(["APT40"], { NZ: ["mentioned"] }));
    await a.outbox.markSent([deliveries(a)[0]?.id ?? 0], "m1", Date.now());
    await a.close();
    const b = openStore(path);
    expect(deliveries(b)).toHaveLength(3);
    await save(
      b,
      "/a.txt",
      "After restart",
      tags(["APT40"], { NZ: ["mentioned"], AU: ["sponsor"] }),
      "New text.",
    );
    const rows = deliveries(b).filter((r) => r.kind === "alert");
    expect(rows.map((r) => r.channel_ref).sort()).toEqual([ALL, APT, AU, NZ].sort());
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(1);
    // The channel that already had it gets the revision as an edit, not as a second alert.
    const sent = rows.find((r) => r.status === "sent");
    const updates = deliveries(b).filter((r) => r.kind === "update");
    expect(updates.map((u) => [u.channel_ref, u.update_of, u.status])).toEqual([
      [sent?.channel_ref, sent?.id, "pending"],
    ]);
    await b.close();
  });

  it("skips removed and disabled subscriptions", async () => {
    const store = openStore();
    await subscribed(store);
    await store.unsubscribe(NZ, "country:NZ", "ana");
    await store.outbox.disableChannel(ALL, "channel_not_found: gone", []);
    await save(store, "/a.txt", "Nobody", tags([], { NZ: ["mentioned"] }));
    expect(deliveries(store)).toEqual([]);
    await store.close();
  });

  it("commits or rolls back with the story itself", async () => {
    const store = openStore();
    await store.subscribe(ALL, "all", "dan");
    const heard: number[] = [];
    store.outbox.onRouted((n) => heard.push(n));
    const doomed = store.saveArticle(article("/a.txt", "Doomed"), tags([]), file("/a.txt"), {
      onSaved: (tx, saved) => {
        routeStory(tx, saved);
        throw new Error("crash after routing");
      },
    });
    await expect(doomed).rejects.toThrow("crash after routing");
    // Routing did queue the alert, and the rollback took it away with the story.
    expect(heard).toEqual([1]);
    expect((await store.stats()).stories).toBe(0);
    expect(deliveries(store)).toEqual([]);
    await store.close();
  });

  it("queues nothing when the save is given no onSaved callback", async () => {
    const store = openStore();
    await store.subscribe(ALL, "all", "dan");
    await store.saveArticle(article("/a.txt", "Unrouted"), tags([]), file("/a.txt"));
    expect((await store.stats()).stories).toBe(1);
    expect(deliveries(store)).toEqual([]);
    await store.close();
  });

  it("probes the tag index rather than scanning subscriptions, and tells listeners", async () => {
    const store = openStore();
    // The very statement routing runs for each of a story's keys.
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${SUBSCRIBERS}`).all("country:NZ") as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING COVERING INDEX subscriptions_route/);
    const heard: number[] = [];
    store.outbox.onRouted((n) => heard.push(n));
    await subscribed(store);
    await save(store, "/a.txt", "Heard", tags(["APT40"], { NZ: ["mentioned"] }));
    expect(heard).toEqual([3]);
    await store.close();
  });
});

describe("row states", () => {
  it("claims, retries with or without using an attempt, fails, and recovers rows left sending", async () => {
    const clock = new ManualClock();
    const store = openStore(undefined, clock);
    await subscribed(store);
    await save(store, "/a.txt", "States", tags(["APT40"], { NZ: ["mentioned"] }));
    const now = clock.now();
    const due = await store.outbox.due("slack", now, 10);
    expect(due.map((d) => d.channelRef).sort()).toEqual([APT, NZ]);
    const ids = due.map((d) => d.id);
    expect(await store.outbox.claim(ids, now)).toEqual(ids);
    expect(await store.outbox.claim(ids, now)).toEqual([]);
    expect(await store.outbox.due("slack", now, 10)).toEqual([]);
    await store.outbox.retry([ids[0] ?? 0], now + 1000, "http_503: down");
    await store.outbox.retry([ids[1] ?? 0], now + 1000, "network: down", true);
    expect(
      deliveries(store)
        .filter((d) => ids.includes(d.id))
        .map((d) => d.attempts),
    ).toEqual([1, 0]);
    expect(await store.outbox.due("slack", now, 10)).toEqual([]);
    expect(await store.outbox.nextDueAt(["slack"])).toBe(now + 1000);
    expect(await store.outbox.due("slack", now + 1000, 10)).toHaveLength(2);
    await store.outbox.claim(ids, now + 1000);
    expect(await store.outbox.recoverInFlight()).toBe(2);
    expect(await store.outbox.stats()).toMatchObject({ pending: 3, sending: 0, activeSubscriptions: 5 });
    await store.close();
  });

  it("disabling a channel audits each tag, fails the sent rows and cancels the rest", async () => {
    const store = openStore();
    await store.subscribe(NZ, "country:NZ", "ana");
    await store.subscribe(NZ, "all", "ana");
    await save(store, "/a.txt", "One", tags([], { NZ: ["mentioned"] }));
    await save(store, "/b.txt", "Two", tags([]));
    const [first] = await store.outbox.claim([deliveries(store)[0]?.id ?? 0], Date.now());
    const result = await store.outbox.disableChannel(NZ, "channel_not_found: gone", [first ?? 0]);
    expect(result).toEqual({ tags: ["all", "country:NZ"], cancelled: 1 });
    expect(deliveries(store).map((d) => d.status)).toEqual(["failed", "cancelled"]);
    expect((await store.subscriptions(NZ)).map((s) => s.disabledReason)).toEqual([
      "channel_not_found: gone",
      "channel_not_found: gone",
    ]);
    expect(await store.outbox.stats()).toMatchObject({ failed: 1, cancelled: 1, disabledSubscriptions: 2 });
    await store.close();
  });
});
