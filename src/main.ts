// The composition root: builds every stage from the config and wires them; nothing else creates dependencies.

import { createAnalyser, loadGazetteer } from "./analysis/index.js";
import { ConsoleAdapter } from "./chat/console/adapter.js";
import type { ChatAdapter, CommandHandler } from "./chat/types.js";
import { createCommandHandler } from "./commands/handler.js";
import type { NameResolver } from "./commands/resolve.js";
import type { Config } from "./config/schema.js";
import type { Analyse } from "./core/article.js";
import { packagePath } from "./core/paths.js";
import { IngestEngine } from "./ingest/engine.js";
import { startIngestService } from "./ingest/service.js";
import type { Logger } from "./log/logger.js";
import { SqliteStoryStore } from "./store/sqlite/store.js";

export interface Core {
  store: SqliteStoryStore;
  names: NameResolver;
  analyse: Analyse;
  engine: IngestEngine;
  commands: CommandHandler;
  close(): Promise<void>;
}

function gazetteer(log: Logger) {
  const started = performance.now();
  const g = loadGazetteer({ overridesPath: packagePath("config", "actors.overrides.json") });
  log.debug({ ms: Math.round(performance.now() - started) }, "gazetteer loaded");
  return g;
}

export function buildAnalyser(_config: Config, log: Logger): Analyse {
  return createAnalyser(gazetteer(log));
}

export function buildCore(config: Config, log: Logger): Core {
  const names = gazetteer(log);
  const analyse = createAnalyser(names);
  const store = new SqliteStoryStore(config.dbPath);
  const engine = new IngestEngine({
    store,
    analyse,
    log: log.child({ module: "ingest" }),
    settleMs: config.ingest.settleMs,
    maxFileBytes: config.ingest.maxFileBytes,
  });
  const commands = createCommandHandler({
    store,
    subscriptions: store,
    names,
    log: log.child({ module: "commands" }),
  });
  return {
    store,
    names,
    analyse,
    engine,
    commands,
    async close() {
      engine.stop();
      await engine.idle();
      await store.close();
    },
  };
}

export interface RunningBot {
  core: Core;
  adapters: ChatAdapter[];
  stop(): Promise<void>;
}

export interface RunOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Called when the console user quits (Ctrl-D). */
  onQuit?: () => void;
}

/** `cyberbrief run`: ingest on a schedule and a watcher, adapters answering commands, alerts delivered. */
export async function runBot(config: Config, log: Logger, opts: RunOptions = {}): Promise<RunningBot> {
  const core = buildCore(config, log);
  const adapters: ChatAdapter[] = [
    new ConsoleAdapter({
      input: opts.input ?? process.stdin,
      output: opts.output ?? process.stdout,
      log: log.child({ module: "console" }),
      onQuit: opts.onQuit,
    }),
  ];
  const service = startIngestService({
    engine: core.engine,
    seedsDir: config.seedsDir,
    scanCron: config.ingest.scanCron,
    watch: config.ingest.watch,
    log: log.child({ module: "scheduler" }),
  });
  for (const adapter of adapters) await adapter.start(core.commands);
  await service.ready;
  log.info(
    { seeds: config.seedsDir, db: config.dbPath, adapters: adapters.map((a) => a.platform) },
    "cyberbrief is running",
  );
  return {
    core,
    adapters,
    async stop() {
      await service.stop();
      for (const adapter of adapters) await adapter.stop();
      await core.close();
    },
  };
}
