// What one replica among several needs of PostgreSQL beside the store: the fence its scheduler writes check, and
// who leads each role now (for `cyberbrief status`).

import type pg from "pg";
import { CyberbriefError } from "../../core/errors.js";
import { assertTerm } from "./leader.js";
import type { Tx } from "./open.js";

/** The role of the replica that scans the seeds folder, polls feeds and queues digests. */
export const SCHEDULER = "scheduler";

/**
 * Runs first inside every transaction a replica writes as scheduler leader (ingest saves, rejections, scans,
 * feed state, digest queueing): it throws when the replica may no longer write as leader, so the whole
 * transaction rolls back.
 */
export type Fence = (tx: Tx) => Promise<void>;

/** Writes as the scheduler leader of `term`: refused once another term began (leader.ts assertTerm). */
export const termFence =
  (term: number): Fence =>
  (tx) =>
    assertTerm(tx, SCHEDULER, term);

/** A replica that never led: no scheduler write at all. */
export const followerFence: Fence = async () => {
  throw new CyberbriefError(
    "store/not-leader",
    "this replica does not lead the scheduler: only the leader scans, polls feeds and queues digests",
  );
};

/** What a replica offers the composition root on PostgreSQL. */
export interface PgReplica {
  /** This replica's name (host:pid) on its claims and leadership. */
  holder: string;
  /** Each role's current term, who began it and whether a replica holds its lock now. */
  leaders(): Promise<LeaderState[]>;
}

export interface LeaderState {
  role: string;
  term: number;
  holder: string;
  since: string;
  /** Whether a session holds the role's lock now (false: the last leader is gone and none took over yet). */
  held: boolean;
}

/**
 * leader_terms with each role's lock looked up in pg_locks: an advisory lock on a 64-bit key shows as its high
 * half (classid) and low half (objid), with objsubid 1.
 */
export async function leaderStates(pool: Pick<pg.Pool, "query">): Promise<LeaderState[]> {
  const r = await pool.query<{ role: string; term: string; holder: string; since: Date; held: boolean }>(
    `SELECT role, term::text, holder, since, EXISTS (
       SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
         AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('cyberbrief.' || t.role, 0)
     ) AS held
     FROM leader_terms t ORDER BY role`,
  );
  return r.rows.map((row) => ({
    role: row.role,
    term: Number(row.term),
    holder: row.holder,
    since: row.since.toISOString(),
    held: row.held,
  }));
}
