// Scheduler leadership on a real PostgreSQL: one replica of several leads, another takes over when the leader's
// session dies or it stops, and a replica that lost leadership cannot write as leader (the term fences it).

import type pg from "pg";
import { afterEach, expect, it } from "vitest";
import { assertTerm, LostLeadershipError, PgLeadership } from "../../../src/store/pg/leader.js";
import { migratePg } from "../../../src/store/pg/migrations.js";
import { inTransaction, openPool } from "../../../src/store/pg/open.js";
import { memoryLogger } from "../../helpers/memory-log.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";

const started: PgLeadership[] = [];
const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const l of started.splice(0)) await l.stop();
  for (const p of pools.splice(0)) await p.end();
});

async function database(): Promise<{ url: string; pool: pg.Pool }> {
  const url = await freshDatabase();
  const pool = await openPool(url, { max: 3 });
  pools.push(pool);
  await migratePg(pool);
  return { url, pool };
}

function replica(url: string, holder: string) {
  const { log } = memoryLogger();
  const changes: Array<number | null> = [];
  const leadership = new PgLeadership({ url, holder, checkEveryMs: 100, log });
  leadership.onChange((term) => changes.push(term));
  started.push(leadership);
  return { holder, leadership, changes };
}

/** Polls until `probe` holds (a leader is found by polling, not by sleeping a guessed time). */
async function until<T>(probe: () => T | undefined | null | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const leaders = (rs: Array<ReturnType<typeof replica>>) => rs.filter((r) => r.leadership.term() !== null);

describePg("scheduler leadership", () => {
  it("one replica of three leads, in term 1, recorded with its name", async () => {
    const { url, pool } = await database();
    const rs = ["a", "b", "c"].map((h) => replica(url, h));
    await Promise.all(rs.map((r) => r.leadership.start()));
    const [leader] = await until(() => (leaders(rs).length === 1 ? leaders(rs) : undefined));
    expect(leader?.leadership.term()).toBe(1);
    expect(leader?.changes).toEqual([1]);
    const row = await pool.query("SELECT role, term, holder FROM leader_terms");
    expect(row.rows).toEqual([{ role: "scheduler", term: 1, holder: leader?.holder }]);
    // The others keep trying, and none of them leads while the leader lives.
    await new Promise((r) => setTimeout(r, 300));
    expect(leaders(rs)).toEqual([leader]);
  });

  it("when the leader's session dies, it steps down and another replica leads in a later term", async () => {
    const { url, pool } = await database();
    const rs = ["a", "b", "c"].map((h) => replica(url, h));
    await Promise.all(rs.map((r) => r.leadership.start()));
    const old = await until(() => leaders(rs)[0]);
    const killed = await pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
      [`cyberbrief leader ${old.holder}`],
    );
    expect(killed.rowCount).toBe(1);
    const started = Date.now();
    const next = await until(() => leaders(rs).find((r) => r !== old && r.leadership.term() === 2));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(old.changes).toEqual([1, null]);
    expect(next.changes).toEqual([2]);
  });

  it("fences a replica that lost leadership: its write as leader of term 1 is refused, term 2's is not", async () => {
    const { url, pool } = await database();
    const a = replica(url, "a");
    await a.leadership.start();
    expect(a.leadership.term()).toBe(1);
    const b = replica(url, "b");
    await b.leadership.start();
    await a.leadership.stop();
    await until(() => b.leadership.term() === 2);

    await expect(inTransaction(pool, (tx) => assertTerm(tx, "scheduler", 1))).rejects.toThrow(
      LostLeadershipError,
    );
    await expect(inTransaction(pool, (tx) => assertTerm(tx, "scheduler", 1))).rejects.toThrow(
      /led "scheduler" in term 1, but term 2 has begun elsewhere/,
    );
    await expect(inTransaction(pool, (tx) => assertTerm(tx, "scheduler", 2))).resolves.toBeUndefined();
  });

  it("a replica that cannot reach PostgreSQL does not lead and does not throw", async () => {
    const r = replica("postgres://nobody@127.0.0.1:1/none", "lonely");
    await r.leadership.start();
    expect(r.leadership.term()).toBeNull();
    expect(r.changes).toEqual([]);
  });
});
