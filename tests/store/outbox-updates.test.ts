// The outbox after a revision (an edit queued for channels that got the alert) and the paused-platform record.

import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate, migrations } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { deliveries, ManualClock, openStore, save, tags } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const NZ = "slack:T1/CNZ";
const AU = "discord:G1/300";
const NZ_TAGS = tags([], { NZ: ["mentioned"] });

async function sendAll(store: SqliteStoryStore, at: number, batched = false): Promise<void> {
  const ids = deliveries(store)
    .filter((d) => d.status === "pending")
    .map((d) => d.id);
  await store.outbox.claim(ids, at);
  await store.outbox.markSent(ids, "1700000000.000001", at, batched);
}

describe("revisions of alerted stories", () => {
  it("queue one update per channel whose alert was sent, pointing at that alert, in the save transaction", async () => {
    const clock = new ManualClock();
    const store = openStore(undefined, clock);
    await store.subscribe(NZ, "country:NZ", "ana");
    await store.subscribe(AU, "all", "ben");
    const heard: number[] = [];
    store.outbox.onRouted((n) => heard.push(n));
    await save(store, "/a.txt", "First title", NZ_TAGS);
    const nz = deliveries(store).find((d) => d.channel_ref === NZ);
    const au = deliveries(store).find((d) => d.channel_ref === AU);
    // Only NZ's alert went out; AU's is still pending and will carry the revision itself.
    await store.outbox.claim([nz?.id ?? 0], clock.now());
    await store.outbox.markSent([nz?.id ?? 0], "1700000000.000001", clock.now());
    expect((await save(store, "/a.txt", "Second title", NZ_TAGS, "Edited.")).kind).toBe("revised");
    const updates = deliveries(store).filter((d) => d.kind === "update");
    expect(updates.map((u) => [u.channel_ref, u.update_of, u.status, u.tags])).toEqual([
      [NZ, nz?.id, "pending", "country:NZ"],
    ]);
    expect(deliveries(store).find((d) => d.id === au?.id)?.status).toBe("pending");
    expect(heard).toEqual([2, 1]);
    // Due like any row, and carrying its kind and target for the dispatcher.
    const due = await store.outbox.dueForChannel(NZ, clock.now(), 10);
    expect(due.map((d) => [d.kind, d.updateOf])).toEqual([["update", nz?.id]]);
    expect(await store.outbox.editTarget(nz?.id ?? 0)).toEqual({
      status: "sent",
      messageId: "1700000000.000001",
      batched: false,
    });
    await store.close();
  });

  it("keeps one pending update however often the story changes, and a new one after it was sent", async () => {
    const clock = new ManualClock();
    const store = openStore(undefined, clock);
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "v1", NZ_TAGS);
    await sendAll(store, clock.now(), true);
    await save(store, "/a.txt", "v2", NZ_TAGS, "Two.");
    await save(store, "/a.txt", "v3", NZ_TAGS, "Three.");
    expect(deliveries(store).map((d) => [d.kind, d.status])).toEqual([
      ["alert", "sent"],
      ["update", "pending"],
    ]);
    expect((await store.outbox.editTarget(deliveries(store)[0]?.id ?? 0))?.batched).toBe(true);
    await sendAll(store, clock.now());
    await save(store, "/a.txt", "v4", NZ_TAGS, "Four.");
    expect(deliveries(store).map((d) => [d.kind, d.status])).toEqual([
      ["alert", "sent"],
      ["update", "sent"],
      ["update", "pending"],
    ]);
    await store.close();
  });

  it("sends nothing more to a channel whose subscriptions are all off", async () => {
    const store = openStore();
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "v1", NZ_TAGS);
    await sendAll(store, Date.now());
    await store.unsubscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "v2", NZ_TAGS, "Two.");
    expect(deliveries(store).filter((d) => d.kind === "update")).toEqual([]);
    await store.close();
  });

  it("an update made moot is cancelled with its reason", async () => {
    const store = openStore();
    await store.subscribe(NZ, "all", "ana");
    await save(store, "/a.txt", "v1", NZ_TAGS);
    await sendAll(store, Date.now());
    await save(store, "/a.txt", "v2", NZ_TAGS, "Two.");
    const update = deliveries(store).find((d) => d.kind === "update");
    await store.outbox.claim([update?.id ?? 0], Date.now());
    await store.outbox.cancel([update?.id ?? 0], "superseded");
    expect(deliveries(store).find((d) => d.kind === "update")).toMatchObject({
      status: "cancelled",
      last_error: "superseded",
    });
    await store.close();
  });
});

describe("schema version 3", () => {
  it("keeps every delivery of a version 2 database, and still allows one alert per (story, channel)", async () => {
    const path = join(tempDir(), "v2.db");
    const old = new Database(path);
    migrate(
      old,
      migrations.filter((m) => m.version <= 2),
    );
    old.close();
    const v2 = new SqliteStoryStore(path, { clock: new ManualClock() });
    // Brought up to the newest schema (3 and every later version).
    expect(v2.db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(
      Math.max(...migrations.map((m) => m.version)),
    );
    await v2.subscribe(NZ, "all", "ana");
    await save(v2, "/a.txt", "Routed", NZ_TAGS);
    expect(() =>
      v2.db
        .prepare(
          `INSERT INTO outbox (story_rowid, channel, platform, tag_list, next_attempt_at, created_at)
           VALUES (1, (SELECT id FROM channels WHERE ref = ?), 'slack', (SELECT id FROM tag_lists WHERE tags = 'all'), 0, 0)`,
        )
        .run(NZ),
    ).toThrow(/UNIQUE/);
    expect(deliveries(v2).map((d) => [d.kind, d.batched, d.update_of])).toEqual([["alert", 0, null]]);
    await v2.close();
  });
});

describe("paused platforms", () => {
  it("are recorded with the first time and the latest reason, listed, and cleared on resume", async () => {
    const store = openStore();
    expect(await store.outbox.platformStates()).toEqual([]);
    await store.outbox.pausePlatform("slack", "Slack refused SLACK_BOT_TOKEN (token_revoked)", 1000);
    await store.outbox.pausePlatform("slack", "Slack refused SLACK_BOT_TOKEN (account_inactive)", 2000);
    expect(await store.outbox.platformStates()).toEqual([
      {
        platform: "slack",
        state: "paused",
        reason: "Slack refused SLACK_BOT_TOKEN (account_inactive)",
        since: 1000,
      },
    ]);
    expect(await store.outbox.resumePlatform("slack")).toBe(true);
    expect(await store.outbox.resumePlatform("slack")).toBe(false);
    expect(await store.outbox.platformStates()).toEqual([]);
    await store.close();
  });
});
