// The dispatcher against an outbox whose answers take time (as a networked database's do): passes never overlap,
// and stop() starts no send it would not wait for.

import { afterEach, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import type { Outbox } from "../../src/alerts/outbox.js";
import type { Timers } from "../../src/alerts/send.js";
import { silentLogger } from "../../src/log/logger.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { FakeAdapter } from "../helpers/fake-adapter.js";
import { waitFor } from "../helpers/tmp.js";
import { alertsConfig, openStore, save, statuses, tags } from "./fixtures.js";
import { UNPACED } from "./harness.js";

type Method = Exclude<keyof Outbox, "onRouted">;

/** The store's own outbox, but a method can be held: its calls wait until the test lets them through. */
class HeldOutbox {
  readonly calls = new Map<Method, number>();
  private readonly gates = new Map<Method, { open: Promise<void>; release: () => void }>();

  constructor(private readonly inner: SqliteStoryStore["outbox"]) {}

  hold(method: Method): () => void {
    let release = () => {};
    const open = new Promise<void>((r) => {
      release = r;
    });
    this.gates.set(method, { open, release });
    return () => {
      this.gates.delete(method);
      release();
    };
  }

  /** An Outbox whose every call goes through the gates, then to the real one. */
  port(): Outbox {
    return new Proxy(this.inner, {
      get: (target, name: string) => {
        const real = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
        if (typeof real !== "function") return real;
        if (name === "onRouted") return real.bind(target);
        return async (...args: unknown[]) => {
          const method = name as Method;
          this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
          await this.gates.get(method)?.open;
          return real.apply(target, args);
        };
      },
    }) as unknown as Outbox;
  }
}

/** Real timers that the test can also fire at once: whatever is pending runs now, synchronously. */
class FireableTimers implements Timers {
  private readonly pending = new Map<object, { fn: () => void; real: NodeJS.Timeout }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = {};
    const real = setTimeout(() => {
      this.pending.delete(handle);
      fn();
    }, ms);
    this.pending.set(handle, { fn, real });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    const t = this.pending.get(handle as object);
    if (t) clearTimeout(t.real);
    this.pending.delete(handle as object);
  }

  fireAll(): number {
    const due = [...this.pending.entries()];
    for (const [handle] of due) this.clearTimeout(handle);
    for (const [, t] of due) t.fn();
    return due.length;
  }
}

const CHANNELS = ["console:local", "console:two", "console:three"];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const store = openStore();
  for (const ref of CHANNELS) await store.subscribe(ref, "all", "ana");
  const held = new HeldOutbox(store.outbox);
  const fake = new FakeAdapter("console");
  const timers = new FireableTimers();
  const dispatcher = new Dispatcher({
    timers,
    outbox: held.port(),
    adapters: new Map([["console", fake]]),
    log: silentLogger(),
    alerts: alertsConfig(),
    pacing: UNPACED,
    pollMs: 20,
  });
  cleanups.push(async () => {
    await dispatcher.stop();
    await store.close();
  });
  return { store, held, fake, dispatcher, timers };
}

describe("an outbox that answers asynchronously", () => {
  it("never runs two passes at once, however often the dispatcher is nudged meanwhile", async () => {
    const { store, held, fake, dispatcher, timers } = await setup();
    await save(store, "/a.txt", "First", tags([]));
    await save(store, "/b.txt", "Second", tags([]));
    const release = held.hold("due");
    await dispatcher.start();
    await waitFor(() => held.calls.get("due") === 1, 2000, "the first pass to ask for due rows");
    // Nudges, and every timer fired at once, while the first pass waits: none may start a second pass. (A pass
    // asks the adapter and the outbox synchronously as it starts, so a second one would show here.)
    for (let i = 0; i < 5; i++) {
      dispatcher.nudge();
      expect(timers.fireAll()).toBeGreaterThan(0);
    }
    expect(fake.connectedChecks).toBe(1);
    expect(held.calls.get("due")).toBe(1);
    release();
    await waitFor(() => statuses(store).every((s) => s === "sent"), 5000, "every alert");
    // Each channel got its two stories one after the other, in order, never two at once.
    for (const ref of CHANNELS) {
      const titles = fake
        .delivered(ref)
        .map((c) => (c.message.kind === "alert" ? c.message.alert.story.title : ""));
      expect(titles).toEqual(["First", "Second"]);
    }
  });

  it("hands back rows claimed while stop() ran instead of sending them", async () => {
    const { store, held, fake, dispatcher } = await setup();
    await save(store, "/a.txt", "Only", tags([]));
    const release = held.hold("claim");
    await dispatcher.start();
    await waitFor(() => held.calls.get("claim") === 1, 2000, "a claim under way");
    const stopping = dispatcher.stop();
    release();
    await stopping;
    expect(fake.calls).toEqual([]);
    expect(statuses(store)).toEqual(["pending", "pending", "pending"]);
    expect(held.calls.get("release")).toBe(1);
  });
});
