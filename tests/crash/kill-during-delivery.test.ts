// A child `cyberbrief run` is killed with SIGKILL while delivering 200 alerts, restarted, and must finish the job
// with every alert sent and duplicates only for sends that were in flight at the kill.

import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { FakeSlack } from "../chat/slack/fake-slack.js";
import { startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/tmp.js";

const CHANNELS = 200;
/** The dispatcher's default concurrency: at most this many sends can be in flight at a kill. */
const MAX_IN_FLIGHT = 32;
let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
});

describe("crash safety of delivery", () => {
  it("SIGKILL mid-delivery, restart: all 200 alerts sent, repeats only for sends in flight", async () => {
    const dir = tempDir();
    const seeds = join(dir, "seeds");
    mkdirSync(seeds);
    copyFileSync(join(import.meta.dirname, "../../seeds/000_ab7ccafc986ab3a2.txt"), join(seeds, "seed.txt"));
    const db = join(dir, "store.db");
    const setup = new SqliteStoryStore(db);
    for (let i = 0; i < CHANNELS; i++) await setup.subscribe(`slack:T0FAKE/C${i}`, "all", "U1");
    await setup.close();

    fake = await FakeSlack.start();
    fake.latencyMs = 20;
    const env = {
      SLACK_BOT_TOKEN: "xoxb-fake-bot",
      SLACK_SIGNING_SECRET: "crash-test-secret",
      SLACK_PORT: "0",
      SLACK_API_URL: fake.apiUrl,
      CYBERBRIEF_WATCH: "false",
      LOG_LEVEL: "warn",
    };
    const posts = () => fake?.callsTo("chat.postMessage").map((c) => c.params.channel as string) ?? [];

    const first = startCli(["run", "--seeds", seeds, "--db", db], { env });
    await waitFor(() => posts().length >= 40, 20_000, "the first 40 alerts");
    first.child.kill("SIGKILL");
    await first.exited;
    const atKill = posts();
    expect(atKill.length).toBeLessThan(CHANNELS);

    const second = startCli(["run", "--seeds", seeds, "--db", db], { env });
    try {
      await waitFor(() => new Set(posts()).size === CHANNELS, 30_000, "every channel's alert");
    } finally {
      second.child.kill("SIGTERM");
    }
    expect(await second.exited).toBe(0);

    const all = posts();
    const counts = new Map<string, number>();
    for (const c of all) counts.set(c, (counts.get(c) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([c]) => c);
    expect(counts.size).toBe(CHANNELS);
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    // A repeat is only allowed for a send the killed process had started but not recorded as sent.
    const inFlightAtKill = new Set(atKill.slice(-MAX_IN_FLIGHT));
    for (const c of repeated) expect(inFlightAtKill.has(c)).toBe(true);
    expect(repeated.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
  }, 60_000);
});
