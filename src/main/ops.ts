// Wires the ops port (CYBERBRIEF_HTTP_PORT): /healthz, /readyz and /metrics, with the read-only web pages beside
// them when CYBERBRIEF_WEB=on.

import type { Config } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../ops/metrics.js";
import type { Core } from "./core.js";

type AdapterStatus = { platform: string; connected: boolean; error?: string };

/** The ops server, or null when no port is configured. */
export async function startOps(
  core: Core,
  config: Config,
  log: Logger,
  metrics: Metrics,
  adapterStatus: () => AdapterStatus[],
): Promise<{ port: number; close(): Promise<void> } | null> {
  if (config.httpPort === undefined) return null;
  const { readinessOf, startOpsServer } = await import("../ops/http.js");
  return startOpsServer({
    port: config.httpPort,
    host: config.httpHost,
    web: config.web.enabled ? await webPages(core, config, log) : undefined,
    metrics,
    log: log.child({ module: "ops" }),
    readiness: async () => readinessOf((await core.health()).ok, adapterStatus()),
  });
}

/** The web pages' request handler on the built stages (src/web). */
async function webPages(core: Core, config: Config, log: Logger) {
  const { webHandler } = await import("../web/server.js");
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
