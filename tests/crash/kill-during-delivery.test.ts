// A child `cyberbrief run` is killed with SIGKILL while delivering 200 alerts, restarted, and must finish the job
// with every alert sent and duplicates only for sends that were in flight at the kill.

import { describe, expect, it } from "vitest";
import { startCli } from "../helpers/cli.js";
import { slackRun } from "../helpers/slack-run.js";
import { waitFor } from "../helpers/tmp.js";

const CHANNELS = 200;
/** The dispatcher's default concurrency: at most this many sends can be in flight at a kill. */
const MAX_IN_FLIGHT = 32;

describe("crash safety of delivery", () => {
  it("SIGKILL mid-delivery, restart: all 200 alerts sent, repeats only for sends in flight", async () => {
    const channels = Array.from({ length: CHANNELS }, (_, i) => `C${i}`);
    const { fake, env, args } = await slackRun(channels);
    const posts = () => fake.callsTo("chat.postMessage").map((c) => c.params.channel as string);

    const first = startCli(args, { env });
    await waitFor(() => posts().length >= 40, 20_000, "the first 40 alerts");
    first.child.kill("SIGKILL");
    await first.exited;
    const atKill = posts();
    expect(atKill.length).toBeLessThan(CHANNELS);

    const second = startCli(args, { env });
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
