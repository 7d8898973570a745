// bench:pg's fan-out: one story routed to 10,000 Discord channels in a PostgreSQL store, delivered by one and by
// three replicas (each its own pool, outbox claims and dispatcher, as `cyberbrief run` builds them), through one
// fake Discord that enforces the bot's global limit of 50 requests a second. Replicas elect one sender per
// platform (main/senders.ts), so three replicas together must stay under the one bot's limit.

import { Dispatcher } from "../src/alerts/dispatcher.js";
import { routeStory } from "../src/alerts/routing.js";
import { silentLogger } from "../src/log/logger.js";
import { senders } from "../src/main/senders.js";
import { type PgParts, replicaName } from "../src/main/stores.js";
import { PgStoryStore } from "../src/store/pg/store.js";
import { rng } from "./corpus.js";
import type { BenchServer } from "./pg-server.js";
import { DOCUMENTED, RateLimitedAdapter } from "./rate-limited-adapter.js";

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 10_000);
/** 50/s makes 10,000 sends take 200 s: a sample of this many seconds' worth is timed. */
const SAMPLE_S = Number(process.env.BENCH_DISCORD_SECONDS ?? 10);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface FanoutFigure {
  replicas: number;
  channels: number;
  sent: number;
  seconds: number;
  perSecond: number;
  percent: number;
  limited: number;
}

async function queued(url: string): Promise<void> {
  const store = await PgStoryStore.open(url);
  try {
    for (let i = 0; i < CHANNELS; i++)
      await store.subscribe(`discord:G${i % 50}/${100000 + i}`, "country:NZ", "bench");
    const path = "/bench/pg-fanout.txt";
    const body = "A story about New Zealand.";
    await store.saveArticle(
      {
        path,
        title: "Story",
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
        actors: [],
        countries: [{ code: "NZ", name: "New Zealand", roles: ["mentioned"], matched: [] }],
        cyber: true,
        cyberEvidence: [],
        cves: [],
        sectors: [],
        malware: [],
      },
      { path, size: body.length, mtimeMs: 0 },
      { onSaved: routeStory },
    );
  } finally {
    await store.close();
  }
}

async function measure(server: BenchServer, replicas: number): Promise<FanoutFigure> {
  const url = await server.database();
  await queued(url);
  const random = rng(11);
  // One bot: every replica posts through the same fake platform and its one global budget.
  const discord = new RateLimitedAdapter("discord", DOCUMENTED.discord, () => 5 + random() * 10);
  const running: Array<{ store: PgStoryStore; dispatcher: Dispatcher; stop: () => Promise<void> }> = [];
  for (let r = 0; r < replicas; r++) {
    const store = await PgStoryStore.open(url);
    const parts = {
      url,
      where: "bench",
      holder: `${replicaName()}-${r}`,
      leaders: async () => [],
      setFence: () => {},
    };
    const sending = await senders([discord], parts as PgParts, silentLogger(), 500);
    const dispatcher = new Dispatcher({
      outbox: store.outbox,
      adapters: sending.adapters,
      log: silentLogger(),
      alerts: {
        maxAttempts: 8,
        baseRetryMs: 2000,
        maxRetryMs: 600_000,
        floodThreshold: 5,
        floodWindowMs: 60_000,
        sendTimeoutMs: 15_000,
      },
    });
    await dispatcher.start();
    await sending.start(() => dispatcher.nudge());
    running.push({ store, dispatcher, stop: () => sending.stop() });
  }
  const sample = SAMPLE_S * 50;
  const t0 = performance.now();
  while (discord.arrivals.length <= sample && performance.now() - t0 < (SAMPLE_S + 20) * 1000) await sleep(5);
  for (const r of running) {
    await r.dispatcher.stop();
    await r.stop();
    await r.store.close();
  }
  const a = discord.arrivals;
  const rate = (sample / ((a[sample] ?? Number.NaN) - (a[0] ?? 0))) * 1000;
  return {
    replicas,
    channels: CHANNELS,
    sent: a.length,
    seconds: SAMPLE_S,
    perSecond: Math.round(rate * 10) / 10,
    percent: Math.round((rate / 50) * 1000) / 10,
    limited: discord.rejected,
  };
}

/** One replica, then three, each on a fresh database. */
export async function pgFanout(server: BenchServer): Promise<FanoutFigure[]> {
  return [await measure(server, 1), await measure(server, 3)];
}
