// Routing of later sources of an event: a reply in the thread of the channel's live alert of the event (72 hours),
// never a second top-level alert; channels without one get an alert as before; revisions still edit.

import { describe, expect, it } from "vitest";
import { EVENT_THREAD_MS } from "../../src/alerts/routing.js";
import { rowidOf, saveSource } from "./events.js";
import { deliveries, ManualClock, openStore, save, tags } from "./fixtures.js";

const NZ = "slack:T1/CNZ";
const AU = "slack:T1/CAU";
const NZ_TAGS = tags(["APT40"], { NZ: ["mentioned"] });
const HOUR = 60 * 60 * 1000;

const rows = (store: ReturnType<typeof openStore>) =>
  deliveries(store).map((d) => ({
    story: d.story_rowid,
    channel: d.channel_ref,
    kind: d.kind,
    of: d.update_of,
    tags: d.tags,
  }));

function setup() {
  const clock = new ManualClock();
  const store = openStore(undefined, clock);
  return { clock, store };
}

describe("a later source of an event", () => {
  it("replies in the thread of the channel's alert (update_of it, the alert's tags), never a second alert", async () => {
    const { store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    await saveSource(store, "/b.txt", "APT40 hits NZ (wire copy)", NZ_TAGS, "/a.txt");
    const [alert] = deliveries(store);
    expect(rows(store)).toEqual([
      { story: rowidOf(store, "/a.txt"), channel: NZ, kind: "alert", of: null, tags: "country:NZ" },
      { story: rowidOf(store, "/b.txt"), channel: NZ, kind: "source", of: alert?.id, tags: "country:NZ" },
    ]);
    await store.close();
  });

  it("replies in the thread whether or not it matches the channel's tags; other channels get it as an alert", async () => {
    const { store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await store.subscribe(AU, "country:AU", "ben");
    await save(store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    await saveSource(
      store,
      "/b.txt",
      "Follow-up: Australia too",
      tags(["APT40"], { AU: ["mentioned"] }),
      "/a.txt",
    );
    expect(rows(store).map((r) => [r.channel, r.kind, r.tags])).toEqual([
      [NZ, "alert", "country:NZ"],
      [AU, "alert", "country:AU"],
      [NZ, "source", "country:NZ"],
    ]);
    await store.close();
  });

  it("replies within 72 hours of the alert; later it is a new top-level alert where it matches", async () => {
    const { clock, store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    clock.advance(EVENT_THREAD_MS - 1);
    await saveSource(store, "/b.txt", "Copy at 71:59", NZ_TAGS, "/a.txt");
    clock.advance(2);
    await saveSource(store, "/c.txt", "Follow-up after 72 hours", NZ_TAGS, "/a.txt");
    expect(EVENT_THREAD_MS).toBe(72 * HOUR);
    expect(rows(store).map((r) => [r.story, r.kind])).toEqual([
      [rowidOf(store, "/a.txt"), "alert"],
      [rowidOf(store, "/b.txt"), "source"],
      [rowidOf(store, "/c.txt"), "alert"],
    ]);
    // The new alert is the event's live one from now on: the next source replies under it.
    clock.advance(HOUR);
    await saveSource(store, "/d.txt", "Another copy", NZ_TAGS, "/a.txt");
    const newest = deliveries(store).find((d) => d.story_rowid === rowidOf(store, "/c.txt"));
    expect(rows(store).at(-1)).toMatchObject({
      story: rowidOf(store, "/d.txt"),
      kind: "source",
      of: newest?.id,
    });
    await store.close();
  });

  it("gets no reply in a channel that no longer subscribes to anything", async () => {
    const { store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    await store.unsubscribe(NZ, "country:NZ", "ana");
    await saveSource(store, "/b.txt", "Copy", NZ_TAGS, "/a.txt");
    expect(rows(store).map((r) => r.kind)).toEqual(["alert"]);
    await store.close();
  });

  it("is a new alert where the event's alert failed or was cancelled (not a live alert)", async () => {
    const { store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    store.db.prepare("UPDATE outbox SET status = 'failed'").run();
    await saveSource(store, "/b.txt", "Copy", NZ_TAGS, "/a.txt");
    expect(rows(store).map((r) => [r.story, r.kind])).toEqual([
      [rowidOf(store, "/a.txt"), "alert"],
      [rowidOf(store, "/b.txt"), "alert"],
    ]);
    await store.close();
  });

  it("replies under the newest live alert of the event when a channel has two (an old one past 72 hours)", async () => {
    const { clock, store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    clock.advance(EVENT_THREAD_MS + HOUR);
    await saveSource(store, "/b.txt", "Follow-up", NZ_TAGS, "/a.txt");
    await saveSource(store, "/c.txt", "Copy of the follow-up", NZ_TAGS, "/a.txt");
    const follow = deliveries(store).find((d) => d.story_rowid === rowidOf(store, "/b.txt"));
    expect(rows(store).at(-1)).toMatchObject({ kind: "source", of: follow?.id });
    await store.close();
  });
});

describe("a revision, with events", () => {
  it("of the event's first story still edits the posted alert", async () => {
    const { store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await save(store, "/a.txt", "APT40 hits NZ", NZ_TAGS);
    store.db.prepare("UPDATE outbox SET status = 'sent', message_id = 'm1'").run();
    await saveSource(store, "/b.txt", "Copy", NZ_TAGS, "/a.txt");
    await save(store, "/a.txt", "APT40 hits NZ, confirmed", NZ_TAGS, "Confirmed.");
    const [alert] = deliveries(store);
    expect(rows(store).map((r) => [r.kind, r.of])).toEqual([
      ["alert", null],
      ["source", alert?.id],
      ["update", alert?.id],
    ]);
    await store.close();
  });

  it("of a later source that now matches a channel with the event's alert posts no second alert", async () => {
    const { store } = setup();
    await store.subscribe(NZ, "country:NZ", "ana");
    await store.subscribe(AU, "country:AU", "ben");
    await save(
      store,
      "/a.txt",
      "APT40 hits NZ and AU",
      tags(["APT40"], { NZ: ["mentioned"], AU: ["mentioned"] }),
    );
    await saveSource(store, "/b.txt", "Copy about NZ", NZ_TAGS, "/a.txt");
    const before = rows(store);
    await saveSource(
      store,
      "/b.txt",
      "Copy, revised to name AU",
      tags([], { AU: ["mentioned"] }),
      "/a.txt",
      "More.",
    );
    expect(rows(store)).toEqual(before);
    await store.close();
  });
});
