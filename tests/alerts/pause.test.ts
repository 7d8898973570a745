// A token refused while running pauses that platform's deliveries; it never switches channels off.

import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/tmp.js";
import { deliveries, save, statuses, tags } from "./fixtures.js";
import { adapter, type Harness, harness } from "./harness.js";

const CHANNELS = ["slack:T1/C1", "slack:T1/C2", "slack:T1/C3"];
const LOCAL = "console:local";
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

describe("a refused token", () => {
  it("pauses the platform: alerts stay queued, subscriptions stay on, one error line, other platforms go on", async () => {
    const h = harness({ platforms: ["slack", "console"], concurrency: 1 });
    open.push(h);
    const slack = adapter(h, "slack");
    slack.always("*", { kind: "auth", code: "token_revoked" });
    for (const ref of [...CHANNELS, LOCAL]) await h.store.subscribe(ref, "all", "ana");
    h.dispatcher.start();
    await save(h.store, "/a.txt", "First", tags([]));
    await save(h.store, "/b.txt", "Second", tags([]));
    await waitFor(() => h.dispatcher.pauses.reason("slack"), 2000, "slack to be paused");
    await waitFor(() => adapter(h).delivered(LOCAL).length === 2, 2000, "the console alerts");
    // The dispatcher keeps passing, but asks Slack nothing more.
    const checks = slack.connectedChecks;
    await waitFor(() => slack.connectedChecks > checks + 3, 2000, "more dispatcher passes");
    expect(slack.calls).toHaveLength(1);
    for (const ref of CHANNELS) {
      expect((await h.store.subscriptions(ref)).map((s) => s.disabledAt)).toEqual([null]);
      expect(statuses(h.store, ref)).toEqual(["pending", "pending"]);
    }
    expect(deliveries(h.store).every((d) => d.attempts === (d.channel_ref === LOCAL ? 1 : 0))).toBe(true);
    expect(await h.store.outbox.platformStates()).toEqual([
      expect.objectContaining({ platform: "slack", state: "paused", reason: "scripted token refusal" }),
    ]);
    const errors = h.logs.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ platform: "slack", reason: "scripted token refusal" });
    expect(errors[0]?.msg).toMatch(/slack refused the bot's token; its alerts are paused/);
    expect(h.dispatcher.counters).toMatchObject({ failed: 0, disabled: 0 });
  });

  it("resumes when the platform accepts a token again: every queued alert goes out once", async () => {
    const h = harness({ platforms: ["slack"] });
    open.push(h);
    const slack = adapter(h, "slack");
    slack.always("*", { kind: "auth" });
    for (const ref of CHANNELS) await h.store.subscribe(ref, "all", "ana");
    h.dispatcher.start();
    await save(h.store, "/a.txt", "Held", tags([]));
    await waitFor(() => h.dispatcher.pauses.reason("slack"), 2000, "slack to be paused");
    slack.clear("*");
    h.dispatcher.pauses.resume("slack");
    await waitFor(() => statuses(h.store).every((s) => s === "sent"), 2000, "all sent");
    for (const ref of CHANNELS) expect(slack.delivered(ref)).toHaveLength(1);
    expect(await h.store.outbox.platformStates()).toEqual([]);
    expect(h.dispatcher.pauses.reason("slack")).toBeUndefined();
  });
});
