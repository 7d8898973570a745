// The adapter supervisor: an unreachable platform is retried with capped, jittered backoff until it connects;
// a refused token is fatal at start-up, and reported (not thrown) when it shows up on a later attempt.

import { describe, expect, it } from "vitest";
import { AdapterSupervisor } from "../../src/chat/supervisor.js";
import { type CommandHandler, PlatformUnreachableError } from "../../src/chat/types.js";
import { CyberbriefError } from "../../src/core/errors.js";
import { FakeAdapter } from "../helpers/fake-adapter.js";
import { memoryLogger } from "../helpers/memory-log.js";
import { waitFor } from "../helpers/tmp.js";

const handler: CommandHandler = {
  handle: async () => Promise.reject(new Error("unused")),
  suggest: () => [],
};

/** Fails to start with each error in turn, then connects. */
class FlakyAdapter extends FakeAdapter {
  starts = 0;
  constructor(private readonly failures: Error[]) {
    super("slack");
    this.connected = false;
  }
  override async start(): Promise<void> {
    this.starts += 1;
    const err = this.failures.shift();
    if (err) throw err;
    this.connected = true;
  }
}

const down = () => new PlatformUnreachableError("slack/unreachable", "Could not reach Slack: ECONNREFUSED");

describe("AdapterSupervisor", () => {
  it("retries an unreachable platform with doubling, capped, half-jittered waits until it connects", async () => {
    const adapter = new FlakyAdapter([down(), down(), down(), down()]);
    const { log, lines } = memoryLogger();
    const connected: string[] = [];
    const s = new AdapterSupervisor({
      adapter,
      handler,
      log,
      baseMs: 4,
      maxMs: 16,
      random: () => 0.5,
      onConnected: (p) => connected.push(p),
    });
    await s.start();
    expect(s.status()).toEqual({
      platform: "slack",
      connected: false,
      error: "Could not reach Slack: ECONNREFUSED",
    });
    await waitFor(() => adapter.connected, 2000, "the connection");
    expect(adapter.starts).toBe(5);
    expect(lines.filter((l) => l.msg.includes("unreachable")).map((l) => l.retryInMs)).toEqual([
      3, 6, 12, 12,
    ]);
    expect(connected).toEqual(["slack"]);
    expect(s.status()).toEqual({ platform: "slack", connected: true });
    expect(s.status("Slack refused SLACK_BOT_TOKEN (token_revoked)")).toEqual({
      platform: "slack",
      connected: false,
      error: "alerts paused: Slack refused SLACK_BOT_TOKEN (token_revoked)",
    });
    await s.stop();
  });

  it("throws anything but an unreachable platform at start-up (a refused token, bad settings)", async () => {
    const refused = new CyberbriefError("slack/auth", "Slack refused SLACK_BOT_TOKEN (invalid_auth)");
    const s = new AdapterSupervisor({
      adapter: new FlakyAdapter([refused]),
      handler,
      log: memoryLogger().log,
    });
    await expect(s.start()).rejects.toBe(refused);
  });

  it("reports a refused token met on a later attempt through onFatal, and stops retrying", async () => {
    const refused = new CyberbriefError("slack/auth", "Slack refused SLACK_BOT_TOKEN (invalid_auth)");
    const adapter = new FlakyAdapter([down(), refused]);
    const fatal: string[] = [];
    const s = new AdapterSupervisor({
      adapter,
      handler,
      log: memoryLogger().log,
      baseMs: 1,
      onFatal: (p, err) => fatal.push(`${p}: ${(err as Error).message}`),
    });
    await s.start();
    await waitFor(() => fatal.length === 1, 2000, "the fatal report");
    expect(fatal).toEqual(["slack: Slack refused SLACK_BOT_TOKEN (invalid_auth)"]);
    expect(adapter.starts).toBe(2);
    expect(s.status().error).toBe("Slack refused SLACK_BOT_TOKEN (invalid_auth)");
    await s.stop();
  });

  it("stop() cancels a pending retry", async () => {
    const adapter = new FlakyAdapter([down()]);
    const s = new AdapterSupervisor({ adapter, handler, log: memoryLogger().log, baseMs: 60_000 });
    await s.start();
    await s.stop();
    expect(adapter.starts).toBe(1);
    expect(adapter.connected).toBe(false);
  });
});
