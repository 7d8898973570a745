// Per-host politeness: one request in flight per host, the next starting no sooner than the spacing after the
// previous one ended (on the virtual clock: only the fetcher's sleeps move it), and different hosts side by side.

import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PoliteFetcher } from "../../src/feeds/fetch.js";
import { HostGate } from "../../src/feeds/hosts.js";
import { document, FeedServer, type Handler } from "../helpers/feed-server.js";
import { scriptedTime } from "../helpers/time.js";
import { waitFor } from "../helpers/tmp.js";

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`;
const SPACING = 1000;

let time: ReturnType<typeof scriptedTime>;
let server: FeedServer;
let fetcher: PoliteFetcher;

beforeEach(async () => {
  time = scriptedTime();
  server = await FeedServer.start({ clock: time.clock });
  fetcher = new PoliteFetcher({
    userAgent: "cyberbrief/test",
    hostSpacingMs: SPACING,
    clock: time.clock,
    sleep: time.sleep,
  });
});
afterEach(async () => {
  await fetcher.close();
  await server.close();
});

const get = (path: string, host = "127.0.0.1", signal?: AbortSignal) =>
  fetcher.fetch({ url: server.url(path, host), accept: "*/*", policy: "any", signal });

/** A server that takes 20 ms of real time per answer, so overlapping requests would be seen in flight together. */
const slowish: Handler = async (req, res, ctx) => {
  await delay(20);
  await document({ body: RSS })(req, res, ctx);
};

describe("one host", () => {
  it("serialises requests and starts each one the spacing after the previous one ended", async () => {
    server.route("/feed.xml", slowish);
    const results = await Promise.all([get("/feed.xml"), get("/feed.xml"), get("/feed.xml")]);
    expect(results.map((r) => r.kind)).toEqual(["ok", "ok", "ok"]);
    expect(server.maxInFlight("127.0.0.1")).toBe(1);
    const log = server.requests;
    for (let i = 1; i < log.length; i++) {
      const previousEnd = log[i - 1]?.endedAt ?? Number.POSITIVE_INFINITY;
      expect((log[i]?.startedAt ?? 0) - previousEnd).toBeGreaterThanOrEqual(SPACING);
    }
  });

  it("does not wait when the spacing has already passed since the last request ended", async () => {
    server.route("/feed.xml", document({ body: RSS }));
    await get("/feed.xml");
    time.set(time.elapsed() + 5 * SPACING);
    const before = time.clock.now();
    await get("/feed.xml");
    expect(server.requests[1]?.startedAt).toBe(before);
  });

  it("spaces a redirect hop to the same host like any other request", async () => {
    server.route("/old", (_req, res) => {
      res.writeHead(301, { location: "/feed.xml" });
      res.end();
    });
    server.route("/feed.xml", document({ body: RSS }));
    expect(await get("/old")).toMatchObject({ kind: "ok" });
    const [first, second] = server.requests;
    expect((second?.startedAt ?? 0) - (first?.endedAt ?? 0)).toBeGreaterThanOrEqual(SPACING);
  });

  it("a request aborted while it waits for the host leaves the queue; the others go on", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.route("/held", async (req, res, ctx) => {
      await held;
      await document({ body: RSS })(req, res, ctx);
    });
    server.route("/feed.xml", document({ body: RSS }));
    const first = get("/held");
    await waitFor(() => server.requests.length === 1, 5000, "the held request");
    const controller = new AbortController();
    const aborted = get("/feed.xml", "127.0.0.1", controller.signal);
    const third = get("/feed.xml");
    controller.abort();
    expect(await aborted).toMatchObject({ kind: "failed", reason: "aborted" });
    release();
    expect((await first).kind).toBe("ok");
    expect((await third).kind).toBe("ok");
    expect(server.requests.map((r) => r.path)).toEqual(["/held", "/feed.xml"]);
  });
});

describe("two hosts", () => {
  it("run side by side: 127.0.0.1 and localhost are in flight at once", async () => {
    let bothIn = () => {};
    const together = new Promise<void>((resolve) => {
      bothIn = resolve;
    });
    // Each answer waits until both hosts have a request in flight; a fetcher that serialised them would time out.
    server.route("/feed.xml", async (req, res, ctx) => {
      if (ctx.server.inFlight() >= 2) bothIn();
      await together;
      await document({ body: RSS })(req, res, ctx);
    });
    const results = await Promise.all([get("/feed.xml", "127.0.0.1"), get("/feed.xml", "localhost")]);
    expect(results.map((r) => r.kind)).toEqual(["ok", "ok"]);
    expect(server.requests.map((r) => r.host).sort()).toEqual(["127.0.0.1", "localhost"]);
    expect(server.requests.map((r) => r.startedAt)).toEqual([time.clock.now(), time.clock.now()]);
  });
});

describe("HostGate", () => {
  it("runs the tasks of one host in the order they came", async () => {
    const gate = new HostGate(SPACING, time.clock, time.sleep);
    const order: number[] = [];
    const signal = new AbortController().signal;
    await Promise.all(
      [1, 2, 3].map((n) =>
        gate.run(
          "a.example",
          async () => {
            order.push(n);
          },
          signal,
        ),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
    expect(time.elapsed()).toBe(2 * SPACING);
    expect(gate.activeHosts).toBe(0);
  });
});
