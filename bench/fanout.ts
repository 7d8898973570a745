// bench:fanout: one story to 10,000 channels through limit-enforcing fake platforms, and routing with 100k subscriptions.

import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Dispatcher } from "../src/alerts/dispatcher.js";
import { routeStory } from "../src/alerts/routing.js";
import type { Config } from "../src/config/schema.js";
import type { Platform } from "../src/core/platform.js";
import { silentLogger } from "../src/log/logger.js";
import { SqliteStoryStore } from "../src/store/sqlite/store.js";
import { rng } from "./corpus.js";
import { measureRouting } from "./fanout-routing.js";
import { DOCUMENTED, RateLimitedAdapter } from "./rate-limited-adapter.js";

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 10_000);
const DISCORD_SAMPLE_S = Number(process.env.BENCH_DISCORD_SECONDS ?? 10);
const root = mkdtempSync(join(tmpdir(), "cyberbrief-bench-fanout-"));
const random = rng(7);
// One-way network delay of 5-15 ms: enough jitter to expose a pacer that cuts its windows too fine.
const latency = () => 5 + random() * 10;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const alerts = (floodThreshold = 5): Config["alerts"] => ({
  maxAttempts: 8,
  baseRetryMs: 2000,
  maxRetryMs: 600_000,
  floodThreshold,
  floodWindowMs: 60_000,
  sendTimeoutMs: 15_000,
});

let dbCount = 0;
async function setup(platform: Platform, refs: string[], stories: number) {
  const store = new SqliteStoryStore(join(root, `fanout-${++dbCount}.db`));
  for (const ref of refs) await store.subscribe(ref, "country:NZ", "bench");
  for (let i = 0; i < stories; i++) {
    const path = `/bench/${platform}-${i}.txt`;
    const body = `Story ${i} about New Zealand.`;
    await store.saveArticle(
      {
        path,
        title: `Story ${i}`,
        date: "2024-07-09",
        dateEstimated: false,
        url: null,
        source: null,
        blocks: [],
        body,
        contentHash: `${path}${body}`,
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
  }
  return store;
}

interface RunResult {
  delivered: number;
  elapsedMs: number;
  serverRejected: number;
  dispatcherSaw429: number;
  arrivals: number[];
}

/** Runs the real dispatcher on the real clock until `enough(adapter)` or `maxMs`, then stops it. */
async function run(
  platform: Platform,
  refs: string[],
  stories: number,
  floodThreshold: number,
  maxMs: number,
  enough: number,
) {
  const store = await setup(platform, refs, stories);
  const adapter = new RateLimitedAdapter(
    platform,
    platform === "slack" ? DOCUMENTED.slack : DOCUMENTED.discord,
    latency,
  );
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    adapters: new Map([[platform, adapter]]),
    log: silentLogger(),
    alerts: alerts(floodThreshold),
  });
  const t0 = performance.now();
  await dispatcher.start();
  while (adapter.arrivals.length < enough && performance.now() - t0 < maxMs) await sleep(5);
  const elapsedMs = performance.now() - t0;
  await dispatcher.stop();
  await store.close();
  const result: RunResult = {
    delivered: adapter.arrivals.length,
    elapsedMs,
    serverRejected: adapter.rejected,
    dispatcherSaw429: dispatcher.counters.rateLimited,
    arrivals: adapter.arrivals,
  };
  return result;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const channels = (platform: Platform, n: number) =>
  Array.from({ length: n }, (_, i) =>
    platform === "slack" ? `slack:T${i % 50}/C${i}` : `discord:G${i % 50}/${100000 + i}`,
  );

// Discord, global limit: one story to every channel. 50/s makes 10,000 take 200 s, so a bounded sample is timed:
// the rate is N sends over the time from the 1st to the (N+1)th arrival, N = the sample's seconds x 50.
const sampleN = DISCORD_SAMPLE_S * 50;
async function discordGlobal() {
  const dg = await run(
    "discord",
    channels("discord", CHANNELS),
    1,
    5,
    (DISCORD_SAMPLE_S + 5) * 1000,
    sampleN + 1,
  );
  const rate = (sampleN / ((dg.arrivals[sampleN] ?? Number.NaN) - (dg.arrivals[0] ?? 0))) * 1000;
  const line = `  discord global 50/s: sampled the first ${sampleN} sends (${DISCORD_SAMPLE_S} s worth of the ${CHANNELS / 50} s a full run takes): ${round(rate)}/s = ${round((rate / 50) * 100)}% of the limit, ${dg.serverRejected} 429s`;
  return { dg, rate, line };
}

const routingLines = (routing: Awaited<ReturnType<typeof measureRouting>>) => [
  `  routing, 100,000 subscriptions: median ${routing.typical.medianMs} ms, p95 ${routing.typical.p95Ms} ms per story (median ${routing.typical.medianRows} deliveries queued, ${routing.typical.medianUsPerDelivery} µs each, ${routing.typical.medianCpuUsPerDelivery} µs CPU); a story nobody follows: ${routing.noMatch.medianMs} ms`,
  `  routing cost vs subscription count (same ${routing.isolation.rowsPerStory} matching channels): ${routing.isolation.small.subscriptions} subs ${routing.isolation.small.medianMs} ms, ${routing.isolation.large.subscriptions} subs ${routing.isolation.large.medianMs} ms`,
];

/** Every case, printed, with the BENCH line bench/all.ts reads. */
async function everything() {
  const { dg, rate: dgRate, line: dgLine } = await discordGlobal();

  // Discord, per-channel bucket (5 per 5 s): 10 channels x 10 stories, flood digests off. Ideal: the second five of
  // each channel arrive exactly 5 s after the first five, so the whole run spans 5 s.
  const dc = await run("discord", channels("discord", 10), 10, 1000, 15_000, 100);
  const dcSpan = (dc.arrivals[dc.arrivals.length - 1] ?? 0) - (dc.arrivals[0] ?? 0);

  // Slack, one story to every channel: the 1/s-per-channel limit never binds, so this measures the dispatcher.
  const sg = await run("slack", channels("slack", CHANNELS), 1, 5, 120_000, CHANNELS);

  // Slack, per-channel (1/s): 20 channels x 4 stories, flood digests off. Ideal span: 3 s.
  const sc = await run("slack", channels("slack", 20), 4, 1000, 15_000, 80);
  const scSpan = (sc.arrivals[sc.arrivals.length - 1] ?? 0) - (sc.arrivals[0] ?? 0);

  const routing = await measureRouting(join(root, "routing"));

  const result = {
    bench: "fanout",
    channels: CHANNELS,
    discord: {
      sampleSends: sampleN,
      sampleSeconds: DISCORD_SAMPLE_S,
      perSecond: round(dgRate),
      limitPerSecond: 50,
      ofLimit: round(dgRate / 50, 3),
      serverRejected429: dg.serverRejected,
      perChannelBucket: {
        sends: dc.delivered,
        spanMs: Math.round(dcSpan),
        idealMs: 5000,
        ofLimit: round(5000 / dcSpan, 3),
        serverRejected429: dc.serverRejected,
      },
    },
    slack: {
      sends: sg.delivered,
      ms: Math.round(sg.elapsedMs),
      perSecond: Math.round((sg.delivered / sg.elapsedMs) * 1000),
      serverRejected429: sg.serverRejected,
      perChannel: {
        sends: sc.delivered,
        spanMs: Math.round(scSpan),
        idealMs: 3000,
        ofLimit: round(3000 / scSpan, 3),
        serverRejected429: sc.serverRejected,
      },
    },
    routing,
    targets: { ofLimit: ">= 0.9", serverRejected429: 0, routingMsPerStory: "< 5 with 100,000 subscriptions" },
    machine: { cores: cpus().length, node: process.version },
  };
  const r = result;
  console.log(
    `fanout: one story to ${CHANNELS} channels through fake platforms enforcing the documented limits`,
  );
  console.log(dgLine);
  console.log(
    `  discord per-channel 5/5 s: ${dc.delivered} sends to 10 channels in ${r.discord.perChannelBucket.spanMs} ms (ideal 5000) = ${round(r.discord.perChannelBucket.ofLimit * 100)}%, ${dc.serverRejected} 429s`,
  );
  console.log(
    `  slack (limit is per channel, so it never binds here): ${sg.delivered} sends in ${r.slack.ms} ms = ${r.slack.perSecond}/s, ${sg.serverRejected} 429s`,
  );
  console.log(
    `  slack per-channel 1/s: ${sc.delivered} sends to 20 channels in ${r.slack.perChannel.spanMs} ms (ideal 3000) = ${round(r.slack.perChannel.ofLimit * 100)}%, ${sc.serverRejected} 429s`,
  );
  for (const line of routingLines(routing)) console.log(line);
  console.log(`BENCH ${JSON.stringify(result)}`);
}

// BENCH_FANOUT_ONLY=discord-global or =routing: that case alone (A/B runs taken in turn); no BENCH line.
const ONLY = process.env.BENCH_FANOUT_ONLY;
try {
  if (ONLY === "discord-global") console.log((await discordGlobal()).line);
  else if (ONLY === "routing")
    for (const line of routingLines(await measureRouting(join(root, "routing")))) console.log(line);
  else if (ONLY !== undefined) {
    console.error(`BENCH_FANOUT_ONLY: discord-global or routing, not ${ONLY}`);
    process.exitCode = 2;
  } else await everything();
} finally {
  rmSync(root, { recursive: true, force: true });
}
