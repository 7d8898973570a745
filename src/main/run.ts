// `cyberbrief run`: ingest on a schedule and a watcher, adapters answering commands, alerts delivered. On
// PostgreSQL every replica answers commands and claims deliveries; the scheduler and each platform's sending run
// where their leader is (main/scheduler.ts, main/senders.ts).

import { existsSync, mkdirSync } from "node:fs";
import type { Dispatcher } from "../alerts/dispatcher.js";
import type { ReconnectOptions } from "../chat/supervisor.js";
import type { ChatAdapter } from "../chat/types.js";
import type { Config } from "../config/schema.js";
import { errorMessage } from "../core/errors.js";
import type { ScanReport } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { ConsoleIO } from "./adapters.js";
import { buildCore, type Core } from "./core.js";
import type { RunningScheduler } from "./scheduler.js";
import { storeWhere } from "./stores.js";

export interface RunningBot {
  core: Core;
  adapters: ChatAdapter[];
  dispatcher: Dispatcher;
  /** The health and metrics port, when CYBERBRIEF_HTTP_PORT is set. */
  opsPort: number | null;
  /** Resolves with the first scan's report (on PostgreSQL: this replica's first as scheduler leader). */
  firstScan: Promise<ScanReport>;
  /** Scans, the watcher, feeds and digests (on PostgreSQL: while this replica leads them). */
  scheduler: RunningScheduler;
  stop(): Promise<void>;
}

export interface RunOptions extends ConsoleIO {
  /** Backoff between connection attempts to a platform unreachable at start-up (default 1 s doubling to 60 s). */
  reconnect?: ReconnectOptions;
  /** PostgreSQL: how often a follower tries to lead the scheduler and each platform's sending (default 2 s). */
  leaderCheckMs?: number;
}

export async function runBot(config: Config, log: Logger, opts: RunOptions = {}): Promise<RunningBot> {
  // A bad config/feeds.yaml is a configuration error (exit 2), found before anything starts.
  const configFeeds = (await import("../config/feeds.js")).readFeedsFile(config.feedsFile);
  // The bot's own parts, imported here so the one-shot commands that import main.ts never load them.
  const [
    { Dispatcher },
    { AdapterSupervisor },
    { chooseAdapters },
    { ensureConsoleSubscription, greet },
    { startScheduler },
    { senders },
    { startOps },
    { Metrics },
    { progressReporter },
  ] = await Promise.all([
    import("../alerts/dispatcher.js"),
    import("../chat/supervisor.js"),
    import("./adapters.js"),
    import("./console.js"),
    import("./scheduler.js"),
    import("./senders.js"),
    import("./ops.js"),
    import("../ops/metrics.js"),
    import("../ops/progress.js"),
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
  const undo: Array<() => Promise<void>> = [() => built.close()];
  const unwind = async () => {
    for (const step of undo.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const synced = await built.feeds.syncConfigFeeds(configFeeds);
    if (synced.added + synced.updated + synced.removed > 0)
      log.info({ file: config.feedsFile, ...synced }, "feeds from the configuration file synced");
    const sending = await senders(adapters, built.pg, log, opts.leaderCheckMs);
    const dispatcher = new Dispatcher({
      outbox: built.outbox,
      adapters: sending.adapters,
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
    const ops = await startOps(built, config, log, metrics, () =>
      supervisors.map((s) => s.status(dispatcher.pauses.reason(s.platform))),
    );
    undo.push(async () => ops?.close());
    undo.push(async () => {
      for (const supervisor of supervisors) await supervisor.stop().catch(() => undefined);
    });
    for (const supervisor of supervisors) await supervisor.start();
    const consoleAdapter = adapters.find((a) => a.platform === "console");
    if (consoleAdapter) {
      await ensureConsoleSubscription(built.subscriptions);
      await greet(consoleAdapter, built, config);
    }
    await dispatcher.start();
    undo.push(() => dispatcher.stop());
    await sending.start(() => dispatcher.nudge());
    undo.push(() => sending.stop());
    const scheduler = await startScheduler({
      core: built,
      config,
      adapters,
      metrics,
      log,
      checkEveryMs: opts.leaderCheckMs,
    });
    log.info(
      { seeds: config.seedsDir, db: storeWhere(config), adapters: adapters.map((a) => a.platform) },
      "cyberbrief is running",
    );
    return {
      core: built,
      adapters,
      dispatcher,
      opsPort: ops?.port ?? null,
      firstScan: scheduler.firstScan,
      scheduler,
      async stop() {
        // Order matters: no new work, then hand back or finish deliveries, then disconnect, then close the store.
        await scheduler.stop();
        await sending.stop();
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
  } catch (err) {
    await unwind();
    throw err;
  }
}
