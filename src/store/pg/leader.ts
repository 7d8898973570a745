// Scheduler leadership on PostgreSQL: one replica at a time scans the seeds folder and polls feeds. A session
// advisory lock, held on a connection of its own, says who leads; a term number, raised in the table
// `leader_terms` at each change of leader, fences a replica that lost the lock without knowing it yet (a long
// pause, a network partition): its writes check the term and fail (`assertTerm`).

import pg from "pg";
import { CyberbriefError, errorMessage } from "../../core/errors.js";
import type { Logger } from "../../log/logger.js";
import type { Tx } from "./open.js";

export interface LeadershipOptions {
  url: string;
  /** This replica's name in `leader_terms` and the logs (e.g. host:pid). */
  holder: string;
  /** What is led (default "scheduler"); each role has its own lock and terms. */
  role?: string;
  /** How often a follower tries the lock and the leader checks its connection and term (default 2 s). */
  checkEveryMs?: number;
  log: Logger;
}

/** Thrown by `assertTerm` inside the transaction of a replica that is no longer the leader. */
export class LostLeadershipError extends CyberbriefError {
  constructor(role: string, term: number, current: number | undefined) {
    super(
      "store/not-leader",
      `this replica led "${role}" in term ${term}, but term ${current ?? "none"} has begun elsewhere: its write was refused`,
    );
  }
}

/**
 * Inside a write transaction done as leader: fails unless `term` is still the current one. The row is read FOR
 * SHARE, so a new leader's term change waits until this transaction ends, and a later check sees the new term.
 */
export async function assertTerm(tx: Tx, role: string, term: number): Promise<void> {
  const r = await tx.query<{ term: string }>(
    "SELECT term::text FROM leader_terms WHERE role = $1 FOR SHARE",
    [role],
  );
  const current = r.rows[0] ? Number(r.rows[0].term) : undefined;
  if (current !== term) throw new LostLeadershipError(role, term, current);
}

/**
 * The terms table: one row per role, its current term and who began it. Only a replica holding the role's lock
 * raises the term; writers done as leader read it FOR SHARE (assertTerm).
 */
export const LEADER_SCHEMA = `
CREATE TABLE leader_terms (
  role text PRIMARY KEY,
  term bigint NOT NULL,
  holder text NOT NULL,
  since timestamptz NOT NULL
);`;

/** The advisory lock's key for a role: one 64-bit number from its name, computed by the server. */
const LOCK = "pg_try_advisory_lock(hashtextextended('cyberbrief.' || $1, 0))";
/** Its release: the server frees a closed session's locks only once its backend has exited, a moment later. */
const UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('cyberbrief.' || $1, 0))";

/** A new term for this holder: 1 the first time, one more at every change of leader. */
const NEXT_TERM = `INSERT INTO leader_terms (role, term, holder, since) VALUES ($1, 1, $2, now())
  ON CONFLICT (role) DO UPDATE SET term = leader_terms.term + 1, holder = EXCLUDED.holder, since = now()
  RETURNING term::text`;

export type LeaderListener = (term: number | null) => void;

/** Leadership of one role for this replica: `term()` is its term while it leads, else null. */
export class PgLeadership {
  private client: pg.Client | undefined;
  private current: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<LeaderListener>();
  private readonly role: string;
  private readonly everyMs: number;

  constructor(private readonly opts: LeadershipOptions) {
    this.role = opts.role ?? "scheduler";
    this.everyMs = opts.checkEveryMs ?? 2_000;
  }

  term(): number | null {
    return this.current;
  }

  /** Called with the new term on becoming leader, and with null on stepping down. */
  onChange(listener: LeaderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tries once now (so a lone replica leads from its start), then keeps trying or checking. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  /** Steps down, releases the lock by closing its connection, and stops trying. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    // Let go at once, so whoever looks next (a replica, `status`) sees the lock free.
    if (this.current !== null) await this.client?.query(UNLOCK, [this.role]).catch(() => {});
    this.stepDown("stopped");
    await this.disconnect();
  }

  private tick(): Promise<void> {
    this.running = this.check()
      .catch((err) => this.lost(err))
      .finally(() => {
        if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.everyMs);
      });
    return this.running;
  }

  private async check(): Promise<void> {
    const client = this.client ?? (await this.connect());
    if (this.current === null) {
      const got = await client.query<{ locked: boolean }>(`SELECT ${LOCK} AS locked`, [this.role]);
      if (!got.rows[0]?.locked) return;
      const term = Number(
        (await client.query<{ term: string }>(NEXT_TERM, [this.role, this.opts.holder])).rows[0]?.term,
      );
      this.current = term;
      this.opts.log.info({ role: this.role, term, holder: this.opts.holder }, "leader: this replica leads");
      this.emit(term);
      return;
    }
    // Leading: the connection still answers (so the session lock is still held) and nobody began a later term.
    const r = await client.query<{ term: string }>("SELECT term::text FROM leader_terms WHERE role = $1", [
      this.role,
    ]);
    const term = r.rows[0] ? Number(r.rows[0].term) : undefined;
    // A later term means this session's lock is not what it seems: let it go with the connection.
    if (term !== this.current) this.lost(new Error(`term ${term ?? "none"} began elsewhere`));
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.opts.url,
      // Shown in pg_stat_activity, so an operator sees which replica holds the lock.
      application_name: `cyberbrief leader ${this.opts.holder}`.slice(0, 63),
      // A check that gets no answer means the server may think this replica gone: step down rather than wait.
      query_timeout: Math.max(1_000, this.everyMs * 2),
      connectionTimeoutMillis: Math.max(1_000, this.everyMs * 2),
      keepAlive: true,
      // The server drops a vanished leader's session (and its lock) within about 11 s, not the OS's 2 hours.
      options: "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3",
    });
    client.on("error", (err) => this.lost(err));
    client.on("end", () => {
      if (this.client === client) this.lost(new Error("connection closed"));
    });
    this.client = client;
    try {
      await client.connect();
    } catch (err) {
      this.client = undefined;
      throw err;
    }
    return client;
  }

  /** The connection failed or closed: whatever the lock's fate on the server, this replica no longer leads. */
  private lost(err: unknown): void {
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => {});
    if (this.current !== null) this.stepDown(`connection lost: ${errorMessage(err)}`);
    else if (!this.stopped) this.opts.log.debug({ err }, "leader: cannot reach PostgreSQL; trying again");
  }

  private stepDown(reason: string): void {
    if (this.current === null) return;
    // Stopping on purpose is no news; losing the lead is.
    this.opts.log[reason === "stopped" ? "info" : "warn"](
      { role: this.role, term: this.current, reason },
      "leader: this replica no longer leads",
    );
    this.current = null;
    this.emit(null);
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private emit(term: number | null): void {
    for (const l of this.listeners) {
      try {
        l(term);
      } catch (err) {
        this.opts.log.error({ err }, "leader: a listener failed");
      }
    }
  }
}
