// Contract: subscriptions and their audit trail, the same on SQLite and PostgreSQL.

import { expect, it } from "vitest";
import { contract } from "./stores.js";

const CHANNEL = "slack:T1/C1";
const clock = () => {
  let t = Date.parse("2024-07-09T00:00:00Z");
  return { now: () => (t += 1000) };
};

contract("subscriptions", ({ open }) => {
  it("subscribe, again, switch to a digest, unsubscribe, and resubscribe, each audited", async () => {
    const store = await open({ clock: clock() });
    expect(await store.subscribe(CHANNEL, "actor:APT40", "ana")).toEqual({ created: true });
    expect(await store.subscribe(CHANNEL, "actor:APT40", "bob")).toEqual({ created: false });
    expect(await store.subscribe(CHANNEL, "actor:APT40", "bob", { mode: "daily", at: "09:00" })).toEqual({
      created: false,
      switched: { from: null },
    });
    expect(await store.subscribe(CHANNEL, "country:NZ", "ana")).toEqual({ created: true });
    const subs = await store.subscriptions(CHANNEL);
    expect(subs.map((s) => [s.tag, s.digest, s.createdBy, s.platform])).toEqual([
      ["actor:APT40", { mode: "daily", at: "09:00" }, "ana", "slack"],
      ["country:NZ", null, "ana", "slack"],
    ]);
    expect(await store.unsubscribe(CHANNEL, "actor:APT40", "cy")).toEqual({ removed: true });
    expect(await store.unsubscribe(CHANNEL, "actor:APT40", "cy")).toEqual({ removed: false });
    expect(await store.unsubscribe(CHANNEL, "actor:APT1", "cy")).toEqual({ removed: false });
    expect((await store.subscriptions(CHANNEL)).map((s) => s.tag)).toEqual(["country:NZ"]);
    expect(await store.subscribe(CHANNEL, "actor:APT40", "dee")).toEqual({ created: true });
    const history = await store.subscriptionHistory(CHANNEL);
    expect(history.map((e) => [e.tag, e.action, e.user, e.reason])).toEqual([
      ["actor:APT40", "subscribe", "ana", null],
      ["actor:APT40", "subscribe", "bob", "daily at 09:00"],
      ["country:NZ", "subscribe", "ana", null],
      ["actor:APT40", "unsubscribe", "cy", null],
      ["actor:APT40", "subscribe", "dee", null],
    ]);
    expect(history[0]?.at).toBe("2024-07-09T00:00:01.000Z");
    expect(history.every((e) => e.channelRef === CHANNEL)).toBe(true);
    const back = (await store.subscriptions(CHANNEL)).find((s) => s.tag === "actor:APT40");
    expect(back).toMatchObject({ createdBy: "dee", digest: null, disabledAt: null, disabledReason: null });
  });

  it("keeps channels apart, orders tags by their characters' codes, and refuses a reference that is no channel", async () => {
    const store = await open();
    await store.subscribe("discord:G1/C2", "all", "ana");
    await store.subscribe(CHANNEL, "keyword:electoral commission", "ana");
    await store.subscribe(CHANNEL, "actor:apt1", "ana");
    await store.subscribe(CHANNEL, "actor:Zeta", "ana");
    await store.subscribe(CHANNEL, "actor:APT40", "ana");
    expect((await store.subscriptions(CHANNEL)).map((s) => s.tag)).toEqual([
      "actor:APT40",
      "actor:Zeta",
      "actor:apt1",
      "keyword:electoral commission",
    ]);
    expect((await store.subscriptions("discord:G1/C2")).map((s) => [s.tag, s.platform])).toEqual([
      ["all", "discord"],
    ]);
    expect(await store.subscriptions("console:nowhere")).toEqual([]);
    await expect(store.subscribe("nonsense", "all", "ana")).rejects.toThrow(/channel reference/);
    expect(await store.disabledSubscriptions()).toEqual([]);
    expect(await store.subscriptionHistory("nonsense")).toEqual([]);
  });
});
