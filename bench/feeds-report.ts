// bench:feeds' bookkeeping: what each poll cycle must have done (stories and alerts counted in the store, each new
// item stored once), memory peaks, and the human summary.

import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type Database from "better-sqlite3";

export interface Cycle {
  index: number;
  polls: number;
  /** Polls of feeds whose server supports conditional GET (the 304 share is of these). */
  conditionalPolls: number;
  ok: number;
  notModified: number;
  failed: number;
  errors: string[];
  cpuMs: number;
  wallMs: number;
  /** From the poll reports: new stories, of which quiet (the baseline's, stored without an alert). */
  stored: number;
  quiet: number;
  revised: number;
  duplicate: number;
  /** From the store: alert rows queued in this cycle (all channels), and stories in all. */
  alerts: number;
  stories: number;
  problems: string[];
}

export interface Expected {
  polls: number;
  /** Feeds that must answer 200 (the rest 304). */
  ok: number;
  stored: number;
  quiet: number;
  /** The canonical links published before this cycle: each must be one story, alerted once to `all`. */
  published: ReadonlyArray<{ canonical: string }>;
}

type Counts = Omit<Cycle, "alerts" | "stories" | "problems" | "index">;

/** Counts the store before and after each cycle and says what differs from the expected. */
export class StoreCheck {
  private stories: number;
  private alerts: number;
  private allAlerts: number;
  /** Every stored story's rowids by link, read incrementally (stories only grow; rowids only increase). */
  private readonly byUrl = new Map<string, number[]>();
  private lastRowid = 0;
  private repeatedLinks = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly allChannel: string,
  ) {
    this.stories = this.count("SELECT count(*) FROM stories");
    this.alerts = this.count("SELECT count(*) FROM deliveries WHERE kind = 'alert'");
    this.allAlerts = this.allChannelAlerts();
  }

  after(c: Counts, e: Expected): Pick<Cycle, "alerts" | "stories" | "problems"> {
    const problems: string[] = [];
    const want = (what: string, got: number, expected: number) => {
      if (got !== expected) problems.push(`${what}: ${got}, expected ${expected}`);
    };
    want("polls", c.polls, e.polls);
    want("answered 200", c.ok, e.ok);
    want("answered 304", c.notModified, e.polls - e.ok);
    want("failed polls", c.failed, 0);
    want("new stories reported", c.stored, e.stored);
    want("stored without alert", c.quiet, e.quiet);
    want("revisions", c.revised, 0);
    want("duplicates", c.duplicate, 0);
    const stories = this.count("SELECT count(*) FROM stories");
    const alerts = this.count("SELECT count(*) FROM deliveries WHERE kind = 'alert'");
    const allAlerts = this.allChannelAlerts();
    want("stories added", stories - this.stories, e.stored);
    want(
      `alerts or thread replies queued to ${this.allChannel} (subscribed to all)`,
      allAlerts - this.allAlerts,
      e.stored - e.quiet,
    );
    want("update rows", this.count("SELECT count(*) FROM deliveries WHERE kind = 'update'"), 0);
    this.readNewStories();
    want("links stored more than once", this.repeatedLinks, 0);
    const alertsOf = this.db
      .prepare<[number, string], number>(
        "SELECT count(*) FROM deliveries WHERE story_rowid = ? AND channel_ref = ? AND kind IN ('alert', 'source')",
      )
      .pluck();
    for (const { canonical } of e.published) {
      const rowids = this.byUrl.get(canonical) ?? [];
      const alerted = rowids.reduce((n, id) => n + (alertsOf.get(id, this.allChannel) as number), 0);
      if (rowids.length !== 1 || alerted !== 1)
        problems.push(
          `${canonical}: ${rowids.length} stories, ${alerted} alerts or thread replies (expected 1 and 1)`,
        );
    }
    const delta = { alerts: alerts - this.alerts, stories, problems };
    this.stories = stories;
    this.alerts = alerts;
    this.allAlerts = allAlerts;
    return delta;
  }

  alertsByChannel(): Record<string, number> {
    const rows = this.db
      .prepare<[], { channel_ref: string; n: number }>(
        "SELECT channel_ref, count(*) AS n FROM deliveries WHERE kind = 'alert' GROUP BY channel_ref ORDER BY 1",
      )
      .all();
    return Object.fromEntries(rows.map((r) => [r.channel_ref, r.n]));
  }

  private readNewStories(): void {
    const rows = this.db
      .prepare<[number], { rowid: number; url: string | null }>(
        "SELECT rowid, url FROM stories WHERE rowid > ? ORDER BY rowid",
      )
      .all(this.lastRowid);
    for (const { rowid, url } of rows) {
      this.lastRowid = rowid;
      if (url === null) continue;
      const ids = this.byUrl.get(url);
      if (!ids) this.byUrl.set(url, [rowid]);
      else if (ids.push(rowid) === 2) this.repeatedLinks++;
    }
  }

  private allChannelAlerts(): number {
    return (
      this.db
        // A new item is a new alert, or a reply in the thread of its event's alert (synthetic items often merge).
        .prepare<[string], number>(
          "SELECT count(*) FROM deliveries WHERE channel_ref = ? AND kind IN ('alert', 'source')",
        )
        .pluck()
        .get(this.allChannel) as number
    );
  }

  private count(sql: string): number {
    return this.db.prepare<[], number>(sql).pluck().get() as number;
  }
}

/** Peaks of resident memory and heap used, sampled on a timer and around each cycle. */
export class MemoryPeaks {
  private rss = 0;
  private heap = 0;

  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }

  every(ms: number): () => void {
    const t = setInterval(() => this.sample(), ms);
    return () => clearInterval(t);
  }

  rssMB = (): number => Math.round(this.rss / 2 ** 20);
  heapMB = (): number => Math.round(this.heap / 2 ** 20);
  /** The kernel's peak for the whole process (gazetteer and store set-up included). */
  maxRssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
}

/** A CPU profile of this process from now until `stop(file)` (the .cpuprofile format of `node --cpu-prof`). */
export async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0
    ? 0
    : s.length % 2
      ? (s[mid] as number)
      : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

// biome-ignore lint/suspicious/noExplicitAny: the BENCH result object, printed as it is built
export function printSummary(r: Record<string, any>, cycles: Cycle[]): void {
  const b = r.baseline;
  const s = r.steady;
  console.log(
    `feeds: ${r.feeds} feeds x ${r.itemsPerFeed} items (RSS and Atom, ${r.feedMB} MB in all, gzip ${r.gzip ? "on" : "off"}), every one polled every minute on an injected clock`,
  );
  console.log(
    "  all feeds on one host (127.0.0.1), so the fetcher's per-host spacing is 0 ms here (the default is 1,000 ms)",
  );
  console.log(
    `  baseline (first poll, every feed 200): ${b.cpuMs} ms CPU, ${b.wallMs} ms wall, ${b.stored} stored, ${b.alerts} alerts`,
  );
  console.log(
    `  ${r.steadyCycles} steady cycles, ${r.publishingPerCycle} feeds publish one item before each:`,
  );
  if (r.feedsWithout304 > 0)
    console.log(
      `  ${r.feedsWithout304} feeds are served without ETag, Last-Modified or 304 (always a full 200)`,
    );
  for (const c of cycles.slice(1)) {
    console.log(
      `    cycle ${String(c.index).padStart(2)}: ${c.cpuMs.toFixed(0).padStart(5)} ms CPU, ${c.wallMs.toFixed(0).padStart(5)} ms wall, ${c.ok} x 200, ${c.notModified} x 304, ${c.stored} new, ${c.alerts} alerts queued`,
    );
  }
  console.log(
    `  steady cycle: median ${s.cpuMsMedian} ms CPU (${s.cpuMsPerPoll} ms per feed poll), ${s.wallMsMedian} ms wall; 304 share ${(s.share304 * 100).toFixed(1)}% of the polls of feeds that support it (target >= 90%)`,
  );
  console.log(`  alerts by channel: ${JSON.stringify(r.alertsByChannel)}`);
  console.log(
    `  memory: peak RSS ${r.memory.peakRssMB} MB, peak heap used ${r.memory.peakHeapUsedMB} MB (process max RSS ${r.memory.maxRssMB} MB)`,
  );
  console.log(
    r.correct
      ? `  correct: every new item stored once and alerted once to the 'all' channel, no repeats, nothing old alerted`
      : `  NOT CORRECT:\n    ${r.problems.join("\n    ")}`,
  );
}
