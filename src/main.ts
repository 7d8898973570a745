// The composition root: builds every stage from the config and wires them; nothing else creates dependencies.

import { existsSync, mkdirSync } from "node:fs";
import type { DigestScheduler } from "./alerts/digest-schedule.js";
import type { Dispatcher } from "./alerts/dispatcher.js";
import type { Outbox } from "./alerts/outbox.js";
import type { ReconnectOptions } from "./chat/supervisor.js";
import type { ChatAdapter, CommandHandler } from "./chat/types.js";
import { createCommandHandler } from "./commands/handler.js";
import type { NameResolver } from "./commands/resolve.js";
import type { Config } from "./config/schema.js";
import type { Analyse, Analysis, Article } from "./core/article.js";
import { errorMessage } from "./core/errors.js";
import type { FeedStore } from "./core/feeds.js";
import type { IngestStore, ScanReport } from "./core/story.js";
import { publicUrlCheck } from "./feeds/guard.js";
import type { IngestEngine } from "./ingest/engine.js";
import type { Logger } from "./log/logger.js";
import type { ConsoleIO } from "./main/adapters.js";
import type { RunningFeeds } from "./main/feeds.js";
import { lazyNames, OVERRIDES } from "./main/names.js";
import type { Metrics } from "./ops/metrics.js";
import type { DigestStore } from "./store/digests.js";
import type { InsightStore } from "./store/insights.js";
import { sqliteInsights } from "./store/sqlite/insights.js";
import { SqliteStoryStore } from "./store/sqlite/store.js";
import type { SubscriptionStore } from "./store/subscriptions.js";
import type { StoreHealth, StoryStore } from "./store/types.js";

/** The built stages; the database only through its interfaces (store, subscriptions, outbox, health). */
export interface Core {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  feeds: FeedStore;
  outbox: Outbox;
  /** Digest subscriptions and their queueing (the digest scheduler's port). */
  digests: DigestStore;
  /** Read queries for trend charts and the web pages. */
  insights: InsightStore;
  health(): Promise<StoreHealth>;
  names: NameResolver;
  analyse: Analyse;
  /** The same analysis, in the worker thread when there is one (feeds use it too). */
  analyseAsync: (article: Article) => Promise<Analysis>;
  /** The routed save port: saves queue their alerts in the same transaction (ingest and feeds save through it). */
  saves: IngestStore;
  engine: IngestEngine;
  commands: CommandHandler;
  close(): Promise<void>;
}

export interface CoreHooks {
  metrics?: Metrics;
  /** Analyse in a worker thread while the main thread stores (for long scans: run and ingest). */
  analysisWorker?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** The command handler over a store: the same for the bot, `ask` and every other caller. */
function commandsOver(
  store: SqliteStoryStore,
  names: NameResolver,
  config: Config,
  log: Logger,
  metrics?: Metrics,
): CommandHandler {
  return createCommandHandler({
    store,
    subscriptions: store,
    feeds: store,
    // Feed URLs typed in chat are untrusted: http(s) to public addresses only (the poller checks again).
    urlCheck: publicUrlCheck(),
    names,
    log: log.child({ module: "commands" }),
    observe: metrics ? (intent, seconds) => metrics.command(intent, seconds) : undefined,
    zone: config.timeZone,
    insights: sqliteInsights(store),
  });
}

/**
 * What `ask` and `status` use: the store and the command handler, names read on first use, and nothing of ingest
 * or analysis loaded (this file imports those only inside `buildCore`).
 */
export interface CommandCore {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  outbox: Outbox;
  commands: CommandHandler;
  close(): Promise<void>;
}

export function openCommandCore(config: Config, log: Logger): CommandCore {
  const store = new SqliteStoryStore(config.dbPath, { fileExists: existsSync });
  return {
    store,
    subscriptions: store,
    outbox: store.outbox,
    commands: commandsOver(store, lazyNames(log), config, log),
    close: () => store.close(),
  };
}

/** Every stage but the chat side: store, ingest (with the analysis worker when asked), commands. */
export async function buildCore(config: Config, log: Logger, hooks: CoreHooks = {}): Promise<Core> {
  const { metrics } = hooks;
  const [{ IngestEngine }, { startAnalysisPool }, { lazyAnalysis, routedSaves }] = await Promise.all([
    import("./ingest/engine.js"),
    import("./ingest/analysis-pool.js"),
    import("./main/builders.js"),
  ]);
  const store = new SqliteStoryStore(config.dbPath, { fileExists: existsSync });
  const pool = hooks.analysisWorker
    ? startAnalysisPool({ overridesPath: OVERRIDES, log: log.child({ module: "analysis" }) })
    : null;
  // Loaded on first use; with a worker, this thread never builds the matcher (the worker holds the only one) and
  // its commands resolve names through the resolver alone.
  const { names, analyse } = lazyAnalysis(log);
  const saves = routedSaves(store);
  const insights = sqliteInsights(store);
  const engine = new IngestEngine({
    store: saves,
    analyse,
    analyseAsync: pool?.analyse,
    readAsync: pool?.read,
    log: log.child({ module: "ingest" }),
    seedsDir: config.seedsDir,
    settleMs: config.ingest.settleMs,
    maxFileBytes: config.ingest.maxFileBytes,
    onStored: metrics ? (_article, outcome) => metrics.storyStored(outcome.kind) : undefined,
    onRejected: metrics ? (reason) => metrics.fileRejected(reason) : undefined,
    onProgress: hooks.onProgress,
  });
  const outbox: Outbox = store.outbox; // SqliteOutbox implements the alerts' Outbox port structurally
  return {
    store,
    subscriptions: store,
    feeds: store,
    outbox,
    digests: store.digests,
    insights,
    health: () => store.health(),
    names,
    analyse,
    analyseAsync: pool ? pool.analyse : async (article) => analyse(article),
    saves,
    engine,
    commands: commandsOver(store, names, config, log, metrics),
    async close() {
      engine.stop();
      await engine.idle();
      await pool?.close();
      await store.close();
    },
  };
}

/**
 * The feeds alone, for `cyberbrief feed`: no gazetteer, no ingest, no run lock (a short write beside a running
 * bot is safe in WAL mode; its poller reads new feeds from the store). `sync`: config/feeds.yaml first.
 */
export async function openFeeds(
  config: Config,
  opts: { sync: boolean },
): Promise<{ feeds: FeedStore; close(): Promise<void> }> {
  const specs = opts.sync ? (await import("./config/feeds.js")).readFeedsFile(config.feedsFile) : null;
  const store = new SqliteStoryStore(config.dbPath);
  try {
    if (specs) await store.syncConfigFeeds(specs);
  } catch (err) {
    await store.close();
    throw err;
  }
  return { feeds: store, close: () => store.close() };
}

/**
 * The store opened read-only, for commands that only read and stream (`cyberbrief export`): no migration, no lock,
 * no gazetteer, so it works beside a running bot and never writes. The file must exist.
 */
export function openStoryReader(config: Config): StoryStore {
  return new SqliteStoryStore(config.dbPath, { readonly: config.dbPath !== ":memory:" });
}

export interface RunningBot {
  core: Core;
  adapters: ChatAdapter[];
  dispatcher: Dispatcher;
  /** The digest schedule (node-cron every minute in CYBERBRIEF_TZ); `tick(now)` looks at once. */
  digests: DigestScheduler;
  /** The health and metrics port, when CYBERBRIEF_HTTP_PORT is set. */
  opsPort: number | null;
  /** Resolves with the first scan's report. */
  firstScan: Promise<ScanReport>;
  /** The feed poller (it polls nothing, and connects nowhere, until a feed is added). */
  feeds: RunningFeeds;
  stop(): Promise<void>;
}

export interface RunOptions extends ConsoleIO {
  /** Backoff between connection attempts to a platform unreachable at start-up (default 1 s doubling to 60 s). */
  reconnect?: ReconnectOptions;
}

/** `cyberbrief run`: ingest on a schedule and a watcher, adapters answering commands, alerts delivered. */
export async function runBot(config: Config, log: Logger, opts: RunOptions = {}): Promise<RunningBot> {
  // A bad config/feeds.yaml is a configuration error (exit 2), found before anything starts.
  const configFeeds = (await import("./config/feeds.js")).readFeedsFile(config.feedsFile);
  // The bot's own parts, imported here so the one-shot commands that import this file never load them.
  const [
    { Dispatcher },
    { AdapterSupervisor },
    { startIngestService },
    { chooseAdapters },
    { ensureConsoleSubscription, greet },
    { startDigests },
    { startFeeds },
    { readinessOf, startOpsServer },
    { Metrics },
    { progressReporter },
  ] = await Promise.all([
    import("./alerts/dispatcher.js"),
    import("./chat/supervisor.js"),
    import("./ingest/service.js"),
    import("./main/adapters.js"),
    import("./main/console.js"),
    import("./main/digests.js"),
    import("./main/feeds.js"),
    import("./ops/http.js"),
    import("./ops/metrics.js"),
    import("./ops/progress.js"),
  ]);
  if (!existsSync(config.seedsDir)) {
    // Nothing to read yet is fine for a long-running bot: make the folder and watch it.
    mkdirSync(config.seedsDir, { recursive: true });
    log.info({ seeds: config.seedsDir }, "created the seeds folder; drop article files into it");
  }
  const adapters = await chooseAdapters(config, log, opts);
  let core: Core | null = null;
  const metrics = new Metrics({
    outboxDepth: async () => (core && (await core.health()).ok ? (await core.outbox.stats()).pending : 0),
    adapters: () => adapters,
  });
  const stderr =
    process.stderr.isTTY && !adapters.some((a) => a.platform === "console") ? process.stderr : null;
  core = await buildCore(config, log, {
    metrics,
    analysisWorker: true,
    onProgress: progressReporter({ log: log.child({ module: "ingest" }), tty: stderr }),
  });
  const built = core;
  const synced = await built.feeds.syncConfigFeeds(configFeeds).catch(async (err) => {
    await built.close();
    throw err;
  });
  if (synced.added + synced.updated + synced.removed > 0)
    log.info({ file: config.feedsFile, ...synced }, "feeds from the configuration file synced");
  const dispatcher = new Dispatcher({
    outbox: built.outbox,
    adapters: new Map(adapters.map((a) => [a.platform, a])),
    log: log.child({ module: "alerts" }),
    alerts: config.alerts,
    onCount: (platform, key, n) => metrics.delivery(platform, key, n),
  });
  // Unreachable platforms are retried in the background; a refused token at start-up stops the bot (exit 2).
  const supervisors = adapters.map(
    (adapter) =>
      new AdapterSupervisor({
        adapter,
        handler: built.commands,
        log: log.child({ module: "connect" }),
        ...opts.reconnect,
        onConnected: (platform) => dispatcher.pauses.resume(platform),
        onFatal: (platform, err) => dispatcher.pauses.pause(platform, errorMessage(err)),
      }),
  );
  const ops =
    config.httpPort === undefined
      ? null
      : await startOpsServer({
          port: config.httpPort,
          host: config.httpHost,
          // The read-only web pages (CYBERBRIEF_WEB=on), beside health and metrics.
          web: config.web.enabled ? await webPages(built, config, log) : undefined,
          metrics,
          log: log.child({ module: "ops" }),
          readiness: async () =>
            readinessOf(
              (await built.health()).ok,
              supervisors.map((s) => s.status(dispatcher.pauses.reason(s.platform))),
            ),
        }).catch(async (err) => {
          await built.close();
          throw err;
        });
  try {
    for (const supervisor of supervisors) await supervisor.start();
  } catch (err) {
    for (const supervisor of supervisors) await supervisor.stop().catch(() => undefined);
    await ops?.close();
    await built.close();
    throw err;
  }
  const consoleAdapter = adapters.find((a) => a.platform === "console");
  if (consoleAdapter) {
    await ensureConsoleSubscription(built.subscriptions);
    await greet(consoleAdapter, built, config);
  }
  await dispatcher.start();
  const digests = startDigests(built, config, log);
  const service = startIngestService({
    engine: built.engine,
    seedsDir: config.seedsDir,
    scanCron: config.ingest.scanCron,
    watch: config.ingest.watch,
    log: log.child({ module: "scheduler" }),
  });
  const feeds = startFeeds({
    feeds: built.feeds,
    store: built.saves,
    analyse: built.analyseAsync,
    adapters,
    log,
    config: config.feeds,
    onStored: (_article, outcome) => metrics.storyStored(outcome.kind),
    onPolled: (result) => metrics.feedPolled(result),
  });
  log.info(
    { seeds: config.seedsDir, db: config.dbPath, adapters: adapters.map((a) => a.platform) },
    "cyberbrief is running",
  );
  return {
    core: built,
    adapters,
    dispatcher,
    digests,
    opsPort: ops?.port ?? null,
    firstScan: service.ready,
    feeds,
    async stop() {
      // Order matters: no new work, then hand back or finish deliveries, then disconnect, then close the store.
      await feeds.stop();
      await service.stop();
      await digests.stop();
      await dispatcher.stop();
      for (const s of supervisors) {
        await s
          .stop()
          .catch((err) => log.warn({ err, platform: s.platform }, "adapter did not stop cleanly"));
      }
      await ops?.close();
      await built.close();
    },
  };
}

/** The web pages' request handler on the built stages (src/web). */
async function webPages(core: Core, config: Config, log: Logger) {
  const { webHandler } = await import("./web/server.js");
  return webHandler({
    store: core.store,
    subscriptions: core.subscriptions,
    feeds: core.feeds,
    insights: core.insights,
    names: core.names,
    token: config.web.token,
    zone: config.timeZone,
    log: log.child({ module: "web" }),
  });
}
