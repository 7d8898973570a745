// A seeds folder with the seed story, a database with subscriptions, a config for runBot, and a port to reuse.

import { createServer } from "node:net";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { subscribeAll, tempWorkspace } from "../helpers/workspace.js";

export interface Workspace {
  seeds: string;
  db: string;
  config: Config;
}

/** One seed article, `channels` subscribed to everything, the bot configured by `env` (no watcher). */
export async function workspace(env: Record<string, string>, channels: string[]): Promise<Workspace> {
  const { dir, seeds, db } = tempWorkspace();
  await subscribeAll(db, channels);
  const config = loadConfig({
    env: { CYBERBRIEF_WATCH: "false", CYBERBRIEF_HTTP_PORT: "0", ...env },
    flags: { db, seeds },
    cwd: dir,
  });
  return { seeds, db, config };
}

/** A port nothing listens on now, for a platform that is down at start-up and comes back on it later. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface ReadyBody {
  ready: boolean;
  checks: Record<string, boolean>;
  errors?: Record<string, string>;
}

export async function readyz(port: number | null): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}
