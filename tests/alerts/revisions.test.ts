// The dispatcher and revised stories: channels that got the alert get an edit of it, never silence or a repeat.

import { describe, expect, it } from "vitest";
import type { Outbound } from "../../src/chat/types.js";
import { waitFor } from "../helpers/tmp.js";
import { alertsConfig, deliveries, save, statuses, tags } from "./fixtures.js";
import { adapter, type Harness, make } from "./harness.js";

const NZ = "slack:T1/CNZ";
const AU = "slack:T1/CAU";

const NZ_TAGS = tags([], { NZ: ["mentioned"] });
type Update = Extract<Outbound, { kind: "update" }>;
const updates = (h: Harness, channelRef: string): Update[] =>
  adapter(h, "slack")
    .delivered(channelRef)
    .map((c) => c.message)
    .filter((m): m is Update => m.kind === "update");

describe("a revised story", () => {
  it("edits the alert already posted, with the new title, and sends no second alert", async () => {
    const h = make({ platforms: ["slack"] });
    await h.store.subscribe(NZ, "country:NZ", "ana");
    h.dispatcher.start();
    await save(h.store, "/a.txt", "Old title", NZ_TAGS);
    await waitFor(() => statuses(h.store, NZ)[0] === "sent", 2000, "the alert");
    const posted = adapter(h, "slack").delivered(NZ)[0]?.messageId;
    await save(h.store, "/a.txt", "New title", NZ_TAGS, "Corrected text.");
    await waitFor(() => updates(h, NZ).length === 1, 2000, "the edit");
    const [edit] = updates(h, NZ);
    expect(edit).toMatchObject({
      kind: "update",
      messageId: posted,
      alert: { reason: "updated; subscribed to country:NZ", story: { title: "New title" } },
    });
    expect(adapter(h, "slack").storyIds(NZ)).toHaveLength(1);
    await waitFor(() => statuses(h.store, NZ).every((s) => s === "sent"), 2000, "the update marked sent");
    expect(h.dispatcher.counters).toMatchObject({ sent: 1, updated: 1, messages: 2 });
  });

  it("needs no edit while the alert is still waiting: the alert goes out with the latest revision", async () => {
    const h = make({ platforms: ["slack"] });
    const slack = adapter(h, "slack");
    slack.connected = false;
    await h.store.subscribe(NZ, "all", "ana");
    h.dispatcher.start();
    await save(h.store, "/a.txt", "Draft", NZ_TAGS);
    await save(h.store, "/a.txt", "Final", NZ_TAGS, "Final text.");
    expect(deliveries(h.store).map((d) => d.kind)).toEqual(["alert"]);
    slack.connected = true;
    await waitFor(() => slack.delivered(NZ).length === 1, 2000, "the alert");
    const [call] = slack.delivered(NZ);
    expect(call?.message.kind === "alert" && call.message.alert.story.title).toBe("Final");
  });

  it("after a digest, posts a short update (no message id to edit) instead of editing the digest", async () => {
    const h = make({ platforms: ["slack"], alerts: alertsConfig({ floodThreshold: 2 }) });
    await h.store.subscribe(NZ, "all", "ana");
    for (const n of [1, 2, 3]) await save(h.store, `/${n}.txt`, `Story ${n}`, NZ_TAGS);
    h.dispatcher.start();
    await waitFor(() => statuses(h.store, NZ).every((s) => s === "sent"), 2000, "the digest");
    expect(
      adapter(h, "slack")
        .delivered(NZ)
        .map((c) => c.message.kind),
    ).toEqual(["batch"]);
    await save(h.store, "/2.txt", "Story 2, revised", NZ_TAGS, "More.");
    await waitFor(() => updates(h, NZ).length === 1, 2000, "the update");
    const [update] = updates(h, NZ);
    expect(update?.messageId).toBeUndefined();
    expect(update?.alert.story.title).toBe("Story 2, revised");
  });

  it("is retried like an alert when the edit fails for a while, and stays one message per channel", async () => {
    const h = make({ platforms: ["slack"], alerts: alertsConfig({ maxAttempts: 4 }) });
    await h.store.subscribe(NZ, "all", "ana");
    await h.store.subscribe(AU, "all", "ben");
    h.dispatcher.start();
    await save(h.store, "/a.txt", "v1", NZ_TAGS);
    await waitFor(() => statuses(h.store).every((s) => s === "sent"), 2000, "both alerts");
    adapter(h, "slack").script(NZ, { kind: "transient", code: "http_500" }, { kind: "transient" });
    await save(h.store, "/a.txt", "v2", NZ_TAGS, "Two.");
    await waitFor(() => updates(h, NZ).length === 1 && updates(h, AU).length === 1, 3000, "both edits");
    const nz = deliveries(h.store, NZ).find((d) => d.kind === "update");
    expect(nz).toMatchObject({ status: "sent", attempts: 3 });
    expect(
      adapter(h, "slack")
        .calls.filter((c) => c.channelRef === NZ)
        .map((c) => c.outcome),
    ).toEqual(["ok", "transient", "transient", "ok"]);
  });
});
