// The composition root: builds every stage from the config and wires them; nothing else creates dependencies.

import type { Analyse, Article } from "./core/article.js";
import type { Config } from "./config/schema.js";
import { IngestEngine } from "./ingest/engine.js";
import { startIngestService } from "./ingest/service.js";
import type { Logger } from "./log/logger.js";
import { SqliteStoryStore } from "./store/sqlite/store.js";
import type { SaveOutcome } from "./store/types.js";
import { createAnalyser, loadGazetteer } from "./analysis/index.js";

export interface Core {
  store: SqliteStoryStore;
  analyse: Analyse;
  engine: IngestEngine;
  close(): Promise<void>;
}

export interface CoreHooks {
  onStored?: (article: Article, outcome: SaveOutcome) => void;
}

export function buildCore(config: Config, log: Logger, hooks: CoreHooks = {}): Core {
  const store = new SqliteStoryStore(config.dbPath);
  const analyse = createAnalyser(loadGazetteer());
  const engine = new IngestEngine({
    store,
    analyse,
    log: log.child({ module: "ingest" }),
    settleMs: config.ingest.settleMs,
    maxFileBytes: config.ingest.maxFileBytes,
    onStored: hooks.onStored,
  });
  return {
    store,
    analyse,
    engine,
    async close() {
      engine.stop();
      await engine.idle();
      await store.close();
    },
  };
}

export interface RunningBot {
  stop(): Promise<void>;
}

/** `cyberbrief run`: ingest on a schedule and a watcher, and print each new story. */
export async function runBot(config: Config, log: Logger, out: NodeJS.WritableStream = process.stdout): Promise<RunningBot> {
  const core = buildCore(config, log, {
    onStored: (article, outcome) => {
      out.write(`\n[${outcome.storyId}] ${article.date}${article.dateEstimated ? " (estimated)" : ""}  ${article.title}\n`);
    },
  });
  const service = startIngestService({
    engine: core.engine,
    seedsDir: config.seedsDir,
    scanCron: config.ingest.scanCron,
    watch: config.ingest.watch,
    log: log.child({ module: "scheduler" }),
  });
  await service.ready;
  log.info({ seeds: config.seedsDir, db: config.dbPath }, "cyberbrief is running");
  return {
    async stop() {
      await service.stop();
      await core.close();
    },
  };
}
