// Routing cost for bench:fanout: the time routing adds to a story's save, with 100,000 subscriptions stored.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { routeStory } from "../src/alerts/routing.js";
import type { CountryTag } from "../src/core/article.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import type { SaveOptions } from "../src/store/types.js";
import { rng } from "./corpus.js";

/** One routed story: wall time, CPU time of this (single-threaded) process, and the rows it queued. */
type Sample = { ms: number; cpuMs: number; rows: number };

/** A store whose saves time exactly the routing step (alerts/routing.ts), inside the real save transaction. */
class TimedStore extends SqliteStoryStore {
  readonly samples: Sample[] = [];
  private added = 0;
  readonly timedRouting: SaveOptions = {
    onSaved: (tx, saved) => {
      this.added = 0;
      const t = performance.now();
      const cpu = process.cpuUsage();
      routeStory(tx, saved);
      const used = process.cpuUsage(cpu);
      this.samples.push({
        ms: performance.now() - t,
        cpuMs: (used.user + used.system) / 1000,
        rows: this.added,
      });
    },
  };

  constructor(path: string) {
    super(path);
    this.outbox.onRouted((n) => {
      this.added += n;
    });
  }

  /** Untimed: what the dispatcher does between stories, so the pending indexes stay their steady-state size. */
  drain(): void {
    this.db.prepare("UPDATE outbox SET status = 'sent', sent_at = 0 WHERE status = 'pending'").run();
  }
}

const COUNTRIES = Array.from({ length: 200 }, (_, i) =>
  String.fromCharCode(65 + (i % 26), 65 + Math.floor(i / 26)),
);
const ACTORS = Array.from({ length: 300 }, (_, i) => `APT${i + 1}`);

function subscribeBulk(store: SqliteStoryStore, subs: Array<[string, string]>): void {
  const insert = store.db.prepare(
    `INSERT OR IGNORE INTO subscriptions (channel_ref, tag, platform, state, created_by, created_at)
     VALUES (?, ?, 'discord', 'active', 'bench', '2024-07-09T00:00:00.000Z')`,
  );
  store.db.transaction(() => {
    for (const [ref, tag] of subs) insert.run(ref, tag);
  })();
}

const country = (code: string, sponsor: boolean): CountryTag => ({
  code,
  name: code,
  roles: sponsor ? ["sponsor", "mentioned"] : ["mentioned"],
  matched: [],
});

async function saveStory(store: TimedStore, i: number, actors: string[], countries: CountryTag[]) {
  const path = `/bench/route-${i}.txt`;
  // Words of its own, so each story is an event of its own (the routing of a first report is measured).
  const r = rng(1000 + i);
  const words = Array.from({ length: 30 }, () => Math.floor(r() * 1e9).toString(36));
  const body = `Routing story ${i}: ${words.join(" ")}.`;
  await store.saveArticle(
    {
      path,
      title: body,
      date: "2024-07-09",
      dateEstimated: false,
      url: null,
      source: null,
      blocks: [],
      body,
      contentHash: path,
    },
    {
      summary: body,
      actors: actors.map((id) => ({ id, name: id, attackId: null, sponsor: null, matched: [] })),
      countries,
      cyber: true,
      cyberEvidence: [],
      cves: [],
      sectors: [],
      malware: [],
    },
    { path, size: body.length, mtimeMs: 0 },
    store.timedRouting,
  );
}

function summary(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const cpuMs = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
  const rows = samples.map((s) => s.rows).sort((a, b) => a - b);
  const at = (xs: number[], q: number) =>
    xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  const perRow = (time: (s: Sample) => number) =>
    samples
      .filter((s) => s.rows > 0)
      .map((s) => (time(s) * 1000) / s.rows)
      .sort((a, b) => a - b);
  return {
    stories: samples.length,
    medianMs: r3(at(ms, 0.5)),
    p95Ms: r3(at(ms, 0.95)),
    medianRows: at(rows, 0.5),
    medianUsPerDelivery: r3(
      at(
        perRow((s) => s.ms),
        0.5,
      ),
    ),
    // CPU time: what routing costs, without the waits a machine shared with other work adds to the wall time.
    medianCpuMs: r3(at(cpuMs, 0.5)),
    medianCpuUsPerDelivery: r3(
      at(
        perRow((s) => s.cpuMs),
        0.5,
      ),
    ),
  };
}

/**
 * Typical: 100,000 subscriptions of 40,000 channels, tags drawn uniformly from 200 countries, 40 sponsors and 300
 * actors (0.5% "all"); 200 stories with 1-2 actors and 2-4 countries, one of them blamed.
 * No match: the same store, stories whose tags nobody follows: the lookup alone.
 * Isolation: the same 100 stories against 1,000 subscriptions that all match, then with 99,000 more that do not.
 * The outbox is drained between stories (untimed), as the dispatcher keeps it in steady state.
 */
export async function measureRouting(dir: string) {
  mkdirSync(dir, { recursive: true });
  const random = rng(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;

  const typical = new TimedStore(join(dir, "typical.db"));
  const subs: Array<[string, string]> = [];
  while (subs.length < 100_000) {
    const ref = `discord:G${subs.length % 97}/${1000 + Math.floor(random() * 40_000)}`;
    const r = random();
    const tag =
      r < 0.005
        ? "all"
        : r < 0.55
          ? `country:${pick(COUNTRIES)}`
          : r < 0.65
            ? `sponsor:${pick(COUNTRIES.slice(0, 40))}`
            : `actor:${pick(ACTORS)}`;
    subs.push([ref, tag]);
  }
  subscribeBulk(typical, subs);
  const subscriptions = typical.db.prepare("SELECT count(*) FROM subscriptions").pluck().get() as number;
  for (let i = 0; i < 200; i++) {
    const actors = Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(ACTORS));
    const codes = [...new Set(Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(COUNTRIES)))];
    await saveStory(
      typical,
      i,
      [...new Set(actors)],
      codes.map((c, k) => country(c, k === 0)),
    );
    typical.drain();
  }
  const typicalSamples = typical.samples.splice(0);
  // "all" subscribers match every story, so they are switched off here to time the bare index lookups.
  typical.db.prepare("UPDATE subscriptions SET state = 'removed' WHERE tag = 'all'").run();
  for (let i = 0; i < 100; i++) await saveStory(typical, 1000 + i, ["NOBODY"], [country("ZZ", true)]);
  await typical.close();

  const isolation = async (name: string, extra: number) => {
    const store = new TimedStore(join(dir, `${name}.db`));
    const matching: Array<[string, string]> = Array.from({ length: 1000 }, (_, i) => [
      `discord:G1/${i}`,
      i % 2 === 0 ? "country:NZ" : "actor:APT40",
    ]);
    const other: Array<[string, string]> = Array.from({ length: extra }, (_, i) => [
      `discord:G2/${i}`,
      i % 3 === 0 ? `country:${COUNTRIES[1 + (i % 199)]}` : `actor:APT${41 + (i % 250)}`,
    ]);
    subscribeBulk(store, [...matching, ...other]);
    for (let i = 0; i < 100; i++) {
      await saveStory(store, i, ["APT40"], [country("NZ", false)]);
      store.drain();
    }
    const count = store.db.prepare("SELECT count(*) FROM subscriptions").pluck().get() as number;
    await store.close();
    return { subscriptions: count, ...summary(store.samples) };
  };
  const small = await isolation("small", 0);
  const large = await isolation("large", 99_000);
  return {
    typical: { subscriptions, ...summary(typicalSamples) },
    noMatch: { subscriptions, ...summary(typical.samples) },
    isolation: { rowsPerStory: small.medianRows, small, large },
  };
}
