// The operations endpoint: /healthz (alive), /readyz (store open, adapters connected, why not) and /metrics.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CyberbriefError } from "../core/errors.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "./metrics.js";

export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean>;
  /** For each failing adapter, why: its last connection error, or why its alerts are paused. */
  errors?: Record<string, string>;
}

/** Ready when the store is open and every adapter is connected with its alerts flowing. */
export function readinessOf(
  storeOpen: boolean,
  adapters: Array<{ platform: string; connected: boolean; error?: string }>,
): Readiness {
  const checks: Record<string, boolean> = { store: storeOpen };
  const errors: Record<string, string> = {};
  for (const a of adapters) {
    checks[a.platform] = a.connected;
    if (!a.connected) errors[a.platform] = a.error ?? "not connected";
  }
  const ready = Object.values(checks).every(Boolean);
  return Object.keys(errors).length > 0 ? { ready, checks, errors } : { ready, checks };
}

export interface OpsServerOptions {
  port: number;
  host?: string;
  metrics: Metrics;
  /** Asked on every /readyz; a failure to answer counts as not ready. */
  readiness: () => Readiness | Promise<Readiness>;
  log: Logger;
  /** The web pages (src/web), when on: every path but /healthz, /readyz and /metrics goes to them. */
  web?: (req: IncomingMessage, res: ServerResponse) => void;
}

const OPS_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (opts.web && !OPS_PATHS.has(path ?? "")) return opts.web(req, res);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (path === "/readyz") {
      Promise.resolve()
        .then(opts.readiness)
        .then(
          (r) =>
            res.writeHead(r.ready ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(r)),
          (err) => {
            opts.log.error({ err }, "readiness check failed");
            res.writeHead(503, { "content-type": "application/json" }).end('{"ready":false,"checks":{}}');
          },
        );
      return;
    }
    if (path === "/metrics") {
      opts.metrics.text().then(
        (body) => res.writeHead(200, { "content-type": opts.metrics.contentType }).end(body),
        (err) => {
          opts.log.error({ err }, "metrics collection failed");
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("try /healthz, /readyz or /metrics\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new CyberbriefError(
          "ops/listen",
          `cannot serve health and metrics on port ${opts.port} (${err.code ?? err.message}); set CYBERBRIEF_HTTP_PORT to a free port`,
        ),
      ),
    );
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  opts.log.info({ port }, "health and metrics listening");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
