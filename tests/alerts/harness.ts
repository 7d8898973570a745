// A store, fake adapters and a real Dispatcher wired together, with the log captured for assertions.

import { afterEach } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import type { DispatcherOptions } from "../../src/alerts/dispatcher-context.js";
import type { PaceRule } from "../../src/alerts/pacer.js";
import type { Platform } from "../../src/chat/types.js";
import type { Clock } from "../../src/core/clock.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { FakeAdapter } from "../helpers/fake-adapter.js";
import { type LogLine, memoryLogger } from "../helpers/memory-log.js";
import { alertsConfig, openStore } from "./fixtures.js";

export const UNPACED: Record<Platform, PaceRule> = { slack: {}, discord: {}, console: {} };

export interface Harness {
  store: SqliteStoryStore;
  adapters: Map<Platform, FakeAdapter>;
  dispatcher: Dispatcher;
  logs: LogLine[];
  /** Stops the dispatcher and closes the store. */
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<DispatcherOptions, "outbox" | "adapters" | "log">> {
  path?: string;
  platforms?: Platform[];
  adapters?: FakeAdapter[];
  store?: SqliteStoryStore;
}

export function harness(o: HarnessOptions = {}): Harness {
  const clock: Clock | undefined = o.clock;
  const store = o.store ?? openStore(o.path, clock);
  // Calls are stamped with the harness's clock when it has one (virtual time), else with Date.now.
  const stamp = clock ? () => clock.now() : undefined;
  const list = o.adapters ?? (o.platforms ?? ["console"]).map((p) => new FakeAdapter(p, stamp));
  const adapters = new Map(list.map((a) => [a.platform, a]));
  const { log, lines: logs } = memoryLogger();
  const dispatcher = new Dispatcher({
    pacing: UNPACED,
    random: () => 0.5,
    pollMs: 20,
    ...o,
    alerts: o.alerts ?? alertsConfig(),
    outbox: store.outbox,
    adapters,
    log,
  });
  return {
    store,
    adapters,
    dispatcher,
    logs,
    async close() {
      await dispatcher.stop();
      await store.close();
    },
  };
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** A harness closed after the test (a test that closes one itself uses `harness`). */
export function make(o: HarnessOptions = {}): Harness {
  const h = harness(o);
  open.push(h);
  return h;
}

export function adapter(h: Harness, platform: Platform = "console"): FakeAdapter {
  const a = h.adapters.get(platform);
  if (!a) throw new Error(`no fake adapter for ${platform}`);
  return a;
}
