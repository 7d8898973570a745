// Migration 11: the deliveries of an older store move into compact outbox rows, read back unchanged.

import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate, migrations } from "../../src/store/sqlite/migrations.js";
import { migrateOutbox } from "../../src/store/sqlite/outbox-migration.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { deliveries, ManualClock, save, tags } from "../alerts/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const NZ = "slack:T1/CNZ";
const AU = "discord:G1/300";
const GONE = "slack:T1/GONE";

/** A store at schema version 10 holding deliveries of every kind and state, as that version wrote them. */
function version10(path: string): void {
  const db = new Database(path);
  migrate(
    db,
    migrations.filter((m) => m.version <= 10),
  );
  const story = db.prepare(
    `INSERT INTO stories (id, path, content_hash, date, title, body, summary, ingested_at, updated_at)
     VALUES (?, ?, ?, '2024-07-09', ?, 'Body.', 'Summary.', '2024-07-09T00:00:00.000Z', '2024-07-09T00:00:00.000Z')`,
  );
  story.run("s1", "/a.txt", "h1", "First");
  story.run("s2", "/b.txt", "h2", "Second");
  const sub = db.prepare(
    `INSERT INTO subscriptions (channel_ref, tag, platform, state, created_by, created_at, mode)
     VALUES (?, ?, ?, ?, 'ana', '2024-07-09T00:00:00.000Z', ?)`,
  );
  sub.run(NZ, "country:NZ", "slack", "active", "stream");
  sub.run(AU, "all", "discord", "active", "stream");
  sub.run(AU, "actor:APT40", "discord", "active", "daily");
  sub.run(GONE, "country:NZ", "slack", "removed", "stream");
  const row = db.prepare(
    `INSERT INTO deliveries (id, story_rowid, channel_ref, platform, tags, kind, update_of, batched, digest_key,
       payload, status, attempts, next_attempt_at, last_error, message_id, created_at, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  row.run(3, 1, NZ, "slack", "country:NZ", "alert", null, 0, null, null, "sent", 1, 10, null, "m1", 5, 11);
  row.run(4, 1, AU, "discord", "all", "alert", null, 1, null, null, "sent", 1, 10, null, "m2", 5, 12);
  row.run(
    5,
    1,
    NZ,
    "slack",
    "country:NZ",
    "update",
    3,
    0,
    null,
    null,
    "pending",
    0,
    20,
    null,
    null,
    15,
    null,
  );
  row.run(
    7,
    2,
    NZ,
    "slack",
    "country:NZ",
    "source",
    3,
    0,
    null,
    null,
    "failed",
    5,
    30,
    "HTTP 500",
    null,
    25,
    null,
  );
  row.run(
    8,
    2,
    GONE,
    "slack",
    "all, country:NZ",
    "alert",
    null,
    0,
    null,
    null,
    "cancelled",
    0,
    30,
    "gone",
    null,
    25,
    null,
  );
  row.run(
    9,
    2,
    AU,
    "discord",
    "actor:APT40",
    "digest",
    null,
    0,
    "AU|actor:APT40|daily|2024-07-09",
    '{"events":[[2]]}',
    "pending",
    0,
    40,
    null,
    null,
    35,
    null,
  );
  db.close();
}

describe("migration 11 (the outbox as compact rows)", () => {
  it("keeps every delivery of a version 10 store, read back unchanged through the deliveries view", async () => {
    const path = join(tempDir(), "v10.db");
    version10(path);
    const before = new Database(path);
    const rows = before.prepare("SELECT * FROM deliveries ORDER BY id").all();
    before.close();

    const store = new SqliteStoryStore(path, { clock: new ManualClock() });
    expect(store.db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(11);
    expect(store.db.prepare("SELECT * FROM deliveries ORDER BY id").all()).toEqual(rows);
    // Each channel once, and every subscription names its channel's id.
    expect(store.db.prepare("SELECT ref FROM channels ORDER BY ref").pluck().all()).toEqual([AU, NZ, GONE]);
    expect(
      store.db
        .prepare(
          "SELECT count(*) FROM subscriptions s JOIN channels c ON c.id = s.channel AND c.ref = s.channel_ref",
        )
        .pluck()
        .get(),
    ).toBe(4);
    expect(store.db.prepare("SELECT tags FROM tag_lists ORDER BY tags").pluck().all()).toEqual([
      "actor:APT40",
      "all",
      "all, country:NZ",
      "country:NZ",
    ]);

    // Run again, it changes nothing; the migration list has nothing left to apply.
    migrateOutbox(store.db);
    expect(store.db.prepare("SELECT * FROM deliveries ORDER BY id").all()).toEqual(rows);
    expect(store.db.prepare("SELECT count(*) FROM channels").pluck().get()).toBe(3);
    expect(migrate(store.db)).toEqual([]);
    await store.close();
  });

  it("routes into the migrated outbox: the same channel ids, one alert per (story, channel), new channels added", async () => {
    const path = join(tempDir(), "v10.db");
    version10(path);
    const store = new SqliteStoryStore(path, { clock: new ManualClock() });
    const idOf = (ref: string) =>
      store.db.prepare("SELECT id FROM channels WHERE ref = ?").pluck().get(ref) as number;
    const nz = idOf(NZ);
    await store.subscribe("slack:T1/NEW", "country:NZ", "ben");
    expect(idOf("slack:T1/NEW")).toBeGreaterThan(idOf(GONE));
    await save(store, "/c.txt", "Third", tags([], { NZ: ["mentioned"] }));
    // The rows of one story go in per platform, in channel id order within it.
    const routed = deliveries(store).filter((d) => d.id > 9);
    expect(routed.map((d) => [d.channel_ref, d.platform, d.tags, d.kind, d.status])).toEqual([
      [AU, "discord", "all", "alert", "pending"],
      [NZ, "slack", "country:NZ", "alert", "pending"],
      ["slack:T1/NEW", "slack", "country:NZ", "alert", "pending"],
    ]);
    const story = routed[0]?.story_rowid;
    expect(() =>
      store.db
        .prepare(
          `INSERT INTO outbox (story_rowid, channel, platform, tag_list, next_attempt_at, created_at)
           VALUES (?, ?, 'slack', 1, 0, 0)`,
        )
        .run(story, nz),
    ).toThrow(/UNIQUE/);
    await store.close();
  });
});
