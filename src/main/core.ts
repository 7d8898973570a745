// The built stages but the chat side: the store (SQLite or PostgreSQL, main/stores.ts), ingest, analysis and the
// command handler. `buildCore` for run and ingest, `openCommandCore` for the one-shot commands that only ask.

import type { CommandHandler } from "../chat/types.js";
import { createCommandHandler } from "../commands/handler.js";
import type { NameResolver } from "../commands/resolve.js";
import type { Config } from "../config/schema.js";
import type { Analyse, Analysis, Article } from "../core/article.js";
import type { IngestStore } from "../core/story.js";
import { publicUrlCheck } from "../feeds/guard.js";
import type { IngestEngine } from "../ingest/engine.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { lazyNames, OVERRIDES } from "./names.js";
import { openStores, type Stores } from "./stores.js";

/** The stores (see stores.ts) with the analysis, the ingest engine and the command handler over them. */
export interface Core extends Stores {
  names: NameResolver;
  analyse: Analyse;
  /** The same analysis, in the worker thread when there is one (feeds use it too). */
  analyseAsync: (article: Article) => Promise<Analysis>;
  /** The routed save port: saves queue their alerts in the same transaction (ingest and feeds save through it). */
  saves: IngestStore;
  engine: IngestEngine;
  /**
   * Another engine on the same stages: a stopped engine stays stopped, so a replica that leads the scheduler
   * again takes a fresh one (its stop is the caller's).
   */
  newEngine(): IngestEngine;
  commands: CommandHandler;
}

export interface CoreHooks {
  metrics?: Metrics;
  /** Analyse in a worker thread while the main thread stores (for long scans: run and ingest). */
  analysisWorker?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** The command handler over the stores: the same for the bot, `ask` and every other caller. */
function commandsOver(
  stores: Stores,
  names: NameResolver,
  config: Config,
  log: Logger,
  metrics?: Metrics,
): CommandHandler {
  return createCommandHandler({
    store: stores.store,
    subscriptions: stores.subscriptions,
    feeds: stores.feeds,
    // Feed URLs typed in chat are untrusted: http(s) to public addresses only (the poller checks again).
    urlCheck: publicUrlCheck(),
    names,
    log: log.child({ module: "commands" }),
    observe: metrics ? (intent, seconds) => metrics.command(intent, seconds) : undefined,
    zone: config.timeZone,
    insights: stores.insights,
  });
}

/**
 * What `ask` and `status` use: the store and the command handler, names read on first use, and nothing of ingest
 * or analysis loaded (this file imports those only inside `buildCore`).
 */
export interface CommandCore extends Pick<Stores, "store" | "subscriptions" | "outbox" | "pg" | "close"> {
  commands: CommandHandler;
}

export async function openCommandCore(config: Config, log: Logger): Promise<CommandCore> {
  const stores = await openStores(config);
  return {
    store: stores.store,
    subscriptions: stores.subscriptions,
    outbox: stores.outbox,
    pg: stores.pg,
    commands: commandsOver(stores, lazyNames(log), config, log),
    close: () => stores.close(),
  };
}

/** Every stage but the chat side: store, ingest (with the analysis worker when asked), commands. */
export async function buildCore(config: Config, log: Logger, hooks: CoreHooks = {}): Promise<Core> {
  const { metrics } = hooks;
  const [{ IngestEngine }, { startAnalysisPool }, { lazyAnalysis, routedSaves }] = await Promise.all([
    import("../ingest/engine.js"),
    import("../ingest/analysis-pool.js"),
    import("./builders.js"),
  ]);
  const stores = await openStores(config);
  const pool = hooks.analysisWorker
    ? startAnalysisPool({ overridesPath: OVERRIDES, log: log.child({ module: "analysis" }) })
    : null;
  // Loaded on first use; with a worker, this thread never builds the matcher (the worker holds the only one) and
  // its commands resolve names through the resolver alone.
  const { names, analyse } = lazyAnalysis(log);
  const saves = routedSaves(stores.store);
  const newEngine = () =>
    new IngestEngine({
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
  const engine = newEngine();
  return {
    ...stores,
    names,
    analyse,
    analyseAsync: pool ? pool.analyse : async (article) => analyse(article),
    saves,
    engine,
    newEngine,
    commands: commandsOver(stores, names, config, log, metrics),
    async close() {
      engine.stop();
      await engine.idle();
      await pool?.close();
      await stores.close();
    },
  };
}
