// `cyberbrief migrate` and `cyberbrief copy` through the built CLI: migrations run twice (the second time up to
// date), an SQLite installation copied into PostgreSQL answers the same reads there, and each refusal is one line
// with exit code 2. The password of the database URL never appears in the output.

import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { pgMigrations } from "../../src/store/pg/migrations.js";
import { PgStoryStore } from "../../src/store/pg/store.js";
import { migrations } from "../../src/store/sqlite/migrations.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article } from "../alerts/fixtures.js";
import { analysisOf } from "../helpers/analysis.js";
import { runCli } from "../helpers/cli.js";
import { describePg, freshDatabase } from "../helpers/pg.js";
import { tempDir } from "../helpers/tmp.js";
import { APT40_CHANNEL, DIGEST_CHANNEL, NZ_CHANNEL, sqliteInstallation } from "../store/pg/copy-bed.js";

const PASSWORD = "s3cret-never-shown";
const PG_TOP = Math.max(...pgMigrations.map((m) => m.version));

/** A fresh database's URL with a password (the test server trusts local logins, so any password is accepted). */
async function urlWithPassword(): Promise<string> {
  const u = new URL(await freshDatabase());
  u.password = PASSWORD;
  return u.toString();
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

it("migrate without a database URL creates the SQLite file, then finds it up to date", async () => {
  const db = join(tempDir(), "var", "cb.db");
  const first = await runCli(["migrate", "--db", db]);
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(
    /^SQLite .*cb\.db: applied versions 1, 2, .* \(now at schema version \d+\)\.\n$/,
  );
  const again = await runCli(["migrate", "--db", db, "--json"]);
  const top = Math.max(...migrations.map((m) => m.version));
  expect(JSON.parse(again.stdout)).toEqual({ backend: "sqlite", applied: [], current: top });
});

it("a database URL that is not postgres:// is refused in one line, exit 2, without repeating it", async () => {
  for (const args of [
    ["migrate", "--database-url", `mysql://root:${PASSWORD}@db/cyberbrief`],
    ["copy", "--from", "x.db", "--to", `http://root:${PASSWORD}@db/cyberbrief`],
    ["migrate", "--database-url", "not a url"],
  ]) {
    const res = await runCli(args);
    expect(res.code, args.join(" ")).toBe(2);
    expect(res.stderr).toMatch(
      /^cyberbrief: (--database-url|--to) (must start with postgres:\/\/|is not a URL)/,
    );
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).not.toContain(PASSWORD);
  }
  const env = await runCli(["migrate"], { env: { CYBERBRIEF_DATABASE_URL: "sqlite:///var/cb.db" } });
  expect(env.code).toBe(2);
  expect(env.stderr).toMatch(/^cyberbrief: CYBERBRIEF_DATABASE_URL must start with postgres:\/\//);
});

describePg("cyberbrief migrate and copy", () => {
  it("migrate applies every version, then says up to date; --json gives backend, applied and current", async () => {
    const url = await urlWithPassword();
    const first = await runCli(["migrate", "--database-url", url]);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain(`applied versions ${pgMigrations.map((m) => m.version).join(", ")}`);
    const second = await runCli(["migrate"], { env: { CYBERBRIEF_DATABASE_URL: url } });
    expect(second.stdout).toMatch(/^PostgreSQL postgres:\/\/.*: up to date \(schema version \d+\)\.\n$/);
    const json = await runCli(["migrate", "--database-url", url, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ backend: "postgresql", applied: [], current: PG_TOP });
    for (const out of [first, second, json]) expect(out.stdout + out.stderr).not.toContain(PASSWORD);
  });

  it("copy moves an SQLite installation whose reads PostgreSQL then answers the same way", async () => {
    const { db, ids } = await sqliteInstallation(tempDir());
    const url = await urlWithPassword();
    const res = await runCli(["copy", "--from", db, "--to", url]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain(PASSWORD);
    for (const table of ["stories", "story_revisions", "story_tags", "search rows", "deliveries", "feeds"])
      expect(res.stdout).toMatch(new RegExp(`^${table} +(\\d+) +\\1$`, "m"));
    expect(res.stdout).toMatch(/^story_revisions +[1-9]\d* +/m);
    expect(res.stdout).toMatch(/All \d+ counts match\.\n$/);

    const sqlite = new SqliteStoryStore(db, { readonly: true });
    const pg = await PgStoryStore.open(url, { max: 2 });
    open.push(sqlite, pg);
    const events = async (s: SqliteStoryStore | PgStoryStore) => {
      const all = [];
      for await (const e of s.exportEvents()) all.push(e);
      return all;
    };
    const exported = await events(sqlite);
    expect(exported.length).toBeGreaterThan(ids.length);
    expect(await events(pg)).toEqual(exported);
    for (const id of [...ids, ...exported.map((e) => e.id)])
      expect(await pg.getStory(id), id).toEqual(await sqlite.getStory(id));
    expect((await sqlite.byTag({ kind: "actor", id: "APT40" }, 20)).total).toBeGreaterThan(0);
    expect((await sqlite.search(['"port authority"'], 20)).total).toBe(1);
    for (const tag of [
      { kind: "actor", id: "APT40" },
      { kind: "country", code: "NZ" },
      { kind: "country", code: "CN", role: "sponsor" },
    ] as const)
      expect(await pg.byTag(tag, 20)).toEqual(await sqlite.byTag(tag, 20));
    for (const terms of [["hospitals"], ["fisheries", "ministry"], ['"port authority"'], ["breaching"]])
      expect(await pg.search(terms, 20), terms.join(" ")).toEqual(await sqlite.search(terms, 20));
    for (const channel of [APT40_CHANNEL, NZ_CHANNEL, DIGEST_CHANNEL]) {
      expect(await pg.subscriptions(channel)).toEqual(await sqlite.subscriptions(channel));
      expect(await pg.subscriptionHistory(channel)).toEqual(await sqlite.subscriptionHistory(channel));
    }
    expect(await pg.listFeeds()).toEqual(await sqlite.listFeeds());
    expect(await pg.rejections()).toEqual(await sqlite.rejections());

    // The outbox rows keep their ids, stories and alert rows; the send in flight is a lapsed claim.
    const columns = "id, story_rowid, channel_ref, kind, update_of, status, attempts, message_id, created_at";
    const before = sqlite.db.prepare(`SELECT ${columns} FROM deliveries ORDER BY id`).all();
    const after = await pg.pool.query(`SELECT ${columns} FROM deliveries ORDER BY id`);
    expect(after.rows).toEqual(before);
    expect(after.rows.some((r) => r.kind === "update" && r.update_of !== null)).toBe(true);
    const lapsed = await pg.pool.query("SELECT lease_until FROM deliveries WHERE status = 'sending'");
    expect(lapsed.rows).toEqual([{ lease_until: 0 }]);

    // New rows take ids past the copied ones (and past the removed feed's id).
    const top = Number((await pg.pool.query("SELECT max(rowid) AS n FROM stories")).rows[0].n);
    const fresh = await pg.saveArticle(
      article("/later.txt", "A later story", "Written after the copy."),
      analysisOf(),
      { path: "/later.txt", size: 5, mtimeMs: 1 },
    );
    const row = await pg.pool.query("SELECT rowid FROM stories WHERE id = $1", [fresh.storyId]);
    expect(row.rows[0].rowid).toBe(top + 1);
    const feed = await pg.addFeed(
      { url: "https://later.example/rss", name: null, everyMs: 900_000, fullText: false },
      "cli",
      "admin",
    );
    expect(feed.feed.id).toBe(4);

    const again = await runCli(["copy", "--from", db, "--to", url]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^cyberbrief: the PostgreSQL database already has rows in stories; /);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a missing or foreign SQLite file is refused in one line, exit 2", async () => {
    const url = await freshDatabase();
    const dir = tempDir();
    const missing = await runCli(["copy", "--from", join(dir, "none.db"), "--to", url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^cyberbrief: no SQLite database at .*none\.db; give the store to copy with --from\n$/,
    );
    const foreign = await runCli([
      "copy",
      "--from",
      join(import.meta.dirname, "pg-copy.test.ts"),
      "--to",
      url,
    ]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/^cyberbrief: cannot read .*pg-copy\.test\.ts as an SQLite database: /);
  });
});
