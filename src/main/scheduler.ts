// The scheduler's work: the scan schedule and folder watcher, the feed poller and the digest schedule, started and
// stopped together. On SQLite it runs from the start (one bot per file); on PostgreSQL only the replica that leads
// the "scheduler" role runs it, with every write fenced by its term (store/pg/replica.ts).

import type { ChatAdapter } from "../chat/types.js";
import type { Config } from "../config/schema.js";
import type { ScanReport } from "../core/story.js";
import type { IngestEngine } from "../ingest/engine.js";
import { startIngestService } from "../ingest/service.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../ops/metrics.js";
import type { Core } from "./core.js";
import { startDigests } from "./digests.js";
import { startFeeds } from "./feeds.js";

export interface SchedulerWiring {
  core: Core;
  config: Config;
  adapters: readonly ChatAdapter[];
  metrics: Metrics;
  log: Logger;
  /** How often a follower tries to lead (default 2 s; a leader that died is replaced within about that). */
  checkEveryMs?: number;
}

export interface RunningScheduler {
  /** The first scan this process ran (on PostgreSQL: its first as leader; pending while it follows). */
  firstScan: Promise<ScanReport>;
  /** Whether this process runs the scheduler's work now. */
  running(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts scans, the watcher, feeds and digests; returns their joint stop and the first scan. The first start
 * scans with `core.engine`; a later one (a replica leading again) with a fresh engine, as service.stop() stops
 * its engine for good.
 */
function startWork(
  w: SchedulerWiring,
  engine: IngestEngine,
): { firstScan: Promise<ScanReport>; stop(): Promise<void> } {
  const { core, config, metrics, log } = w;
  const digests = startDigests(core, config, log);
  const service = startIngestService({
    engine,
    seedsDir: config.seedsDir,
    scanCron: config.ingest.scanCron,
    watch: config.ingest.watch,
    log: log.child({ module: "scheduler" }),
  });
  const feeds = startFeeds({
    feeds: core.feeds,
    store: core.saves,
    analyse: core.analyseAsync,
    adapters: w.adapters,
    log,
    config: config.feeds,
    onStored: (_article, outcome) => metrics.storyStored(outcome.kind),
    onPolled: (result) => metrics.feedPolled(result),
  });
  return {
    firstScan: service.ready,
    async stop() {
      await feeds.stop();
      await service.stop();
      await digests.stop();
    },
  };
}

/** Runs the scheduler's work here, or (PostgreSQL) whenever this replica leads it. */
export async function startScheduler(w: SchedulerWiring): Promise<RunningScheduler> {
  const pg = w.core.pg;
  if (!pg) {
    const work = startWork(w, w.core.engine);
    return { firstScan: work.firstScan, running: () => true, stop: () => work.stop() };
  }
  const [{ PgLeadership }, { SCHEDULER, termFence }] = await Promise.all([
    import("../store/pg/leader.js"),
    import("../store/pg/replica.js"),
  ]);
  const log = w.log.child({ module: "leader" });
  let first: (report: Promise<ScanReport>) => void = () => undefined;
  const firstScan = new Promise<ScanReport>((resolve) => {
    first = resolve;
  });
  let work: ReturnType<typeof startWork> | null = null;
  let starts = 0;
  // Changes are applied one after another: a stop finishes before the next start.
  let changes: Promise<void> = Promise.resolve();
  const leadership = new PgLeadership({
    url: pg.url,
    holder: pg.holder,
    role: SCHEDULER,
    checkEveryMs: w.checkEveryMs,
    log,
  });
  const apply = (term: number | null) => {
    changes = changes
      .then(async () => {
        if (term !== null) {
          // Every write of this term's work checks the term in its own transaction; a later term refuses them.
          pg.setFence(termFence(term));
          if (work) return;
          log.info({ term }, "scheduler: scanning, watching and polling on this replica");
          work = startWork(w, starts++ === 0 ? w.core.engine : w.core.newEngine());
          first(work.firstScan);
          return;
        }
        const stopping = work;
        work = null;
        // The fence stays on the lost term: whatever is still under way is refused once a new leader begins.
        await stopping?.stop();
      })
      .catch((err) => log.error({ err, term }, "scheduler: starting or stopping its work failed"));
  };
  leadership.onChange(apply);
  await leadership.start();
  return {
    firstScan,
    running: () => work !== null,
    async stop() {
      await leadership.stop();
      apply(null);
      await changes;
    },
  };
}

/**
 * `cyberbrief ingest` on PostgreSQL: one scan as the scheduler leader, so it never races a running replica's scan
 * (SQLite's run lock does this for a file). Refused with one line while a replica leads.
 */
export async function leadOnce(core: Core, log: Logger): Promise<{ release(): Promise<void> }> {
  const pg = core.pg;
  if (!pg) throw new Error("leadOnce is for PostgreSQL");
  const [{ PgLeadership }, { SCHEDULER, termFence }, { CyberbriefError }] = await Promise.all([
    import("../store/pg/leader.js"),
    import("../store/pg/replica.js"),
    import("../core/errors.js"),
  ]);
  const leadership = new PgLeadership({ url: pg.url, holder: pg.holder, role: SCHEDULER, log });
  await leadership.start();
  const term = leadership.term();
  if (term === null) {
    await leadership.stop();
    const now = (await pg.leaders()).find((l) => l.role === SCHEDULER);
    throw new CyberbriefError(
      "ingest/leader-running",
      `a running replica${now ? ` (${now.holder})` : ""} leads the scheduler and scans the seeds folder itself; drop files there, or stop the replicas to scan with \`cyberbrief ingest\``,
    );
  }
  pg.setFence(termFence(term));
  return { release: () => leadership.stop() };
}
