// Subscriptions: subscribe twice, unsubscribe, disable and re-enable, all kept in the channel's audit trail.

import { describe, expect, it } from "vitest";
import { ManualClock, openStore, save, statuses, tags } from "./fixtures.js";

const CH = "slack:T1/C1";

describe("subscriptions", () => {
  it("answers already-subscribed, records who and when, and keeps history through unsubscribe", async () => {
    const clock = new ManualClock(Date.parse("2024-07-01T10:00:00Z"));
    const store = openStore(undefined, clock);
    expect(await store.subscribe(CH, "country:NZ", "ana")).toEqual({ created: true });
    clock.advance(60_000);
    expect(await store.subscribe(CH, "country:NZ", "ben")).toEqual({ created: false });
    await store.subscribe(CH, "actor:APT40", "ben");
    expect(await store.subscriptions(CH)).toEqual([
      expect.objectContaining({
        tag: "actor:APT40",
        createdBy: "ben",
        createdAt: "2024-07-01T10:01:00.000Z",
      }),
      expect.objectContaining({ tag: "country:NZ", platform: "slack", createdBy: "ana", disabledAt: null }),
    ]);
    clock.advance(60_000);
    expect(await store.unsubscribe(CH, "country:NZ", "cat")).toEqual({ removed: true });
    expect(await store.unsubscribe(CH, "country:NZ", "cat")).toEqual({ removed: false });
    expect(await store.unsubscribe(CH, "sponsor:RU", "cat")).toEqual({ removed: false });
    expect((await store.subscriptions(CH)).map((s) => s.tag)).toEqual(["actor:APT40"]);
    const history = await store.subscriptionHistory(CH);
    expect(history.map((e) => [e.action, e.tag, e.user, e.at])).toEqual([
      ["subscribe", "country:NZ", "ana", "2024-07-01T10:00:00.000Z"],
      ["subscribe", "actor:APT40", "ben", "2024-07-01T10:01:00.000Z"],
      ["unsubscribe", "country:NZ", "cat", "2024-07-01T10:02:00.000Z"],
    ]);
    await store.close();
  });

  it("lists a disabled subscription with its reason, and re-subscribing re-enables it", async () => {
    const store = openStore();
    await store.subscribe(CH, "all", "ana");
    await store.outbox.disableChannel(CH, "is_archived: Slack refused the post", []);
    const [off] = await store.subscriptions(CH);
    expect(off).toMatchObject({ tag: "all", disabledReason: "is_archived: Slack refused the post" });
    expect(off?.disabledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await store.subscribe(CH, "all", "ben")).toEqual({ created: true, reenabled: true });
    expect(await store.subscriptions(CH)).toEqual([
      expect.objectContaining({ tag: "all", createdBy: "ben", disabledAt: null, disabledReason: null }),
    ]);
    expect(
      (await store.subscriptionHistory(CH)).map((e) => `${e.action}:${e.user}:${e.reason ?? ""}`),
    ).toEqual(["subscribe:ana:", "disable:cyberbrief:is_archived: Slack refused the post", "subscribe:ben:"]);
    await store.close();
  });

  it("unsubscribing cancels pending alerts no remaining tag asks for", async () => {
    const store = openStore();
    await store.subscribe(CH, "country:NZ", "ana");
    await store.subscribe(CH, "actor:APT40", "ana");
    await save(store, "/a.txt", "NZ only", tags([], { NZ: ["mentioned"] }));
    await save(store, "/b.txt", "Both", tags(["APT40"], { NZ: ["mentioned"] }));
    await store.unsubscribe(CH, "country:NZ", "ana");
    expect(statuses(store, CH)).toEqual(["cancelled", "pending"]);
    await store.close();
  });

  it("rejects a channel reference of no known platform", async () => {
    const store = openStore();
    await expect(store.subscribe("irc:#x", "all", "ana")).rejects.toThrow(/Not a channel reference/);
    await store.close();
  });
});
