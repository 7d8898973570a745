// Contract: routed saves, the same on SQLite and PostgreSQL. alerts/routing.ts `routeStory` runs inside each save
// transaction; what it queues commits with the story (one alert per story per channel, updates of sent alerts,
// thread replies of later sources) and the outbox's onRouted listeners hear of it.

import { expect, it } from "vitest";
import { routeStory } from "../../../src/alerts/routing.js";
import type { TagKey } from "../../../src/core/tags.js";
import type { OnSaved } from "../../../src/store/types.js";
import { article, file, ManualClock, tags } from "../../alerts/fixtures.js";
import { type ContractStore, contract } from "./stores.js";

const C1 = "slack:T1/C1";
const C2 = "slack:T1/C2";
const C3 = "discord:G1/C3";

async function follow(store: ContractStore, channel: string, ...keys: TagKey[]): Promise<void> {
  for (const key of keys) await store.subscribe(channel, key, "U1");
}

/** Saves `title` at `path` with the real routing; returns the story id. */
async function save(
  store: ContractStore,
  path: string,
  title: string,
  body?: string,
  onSaved: OnSaved = routeStory,
) {
  const outcome = await store.saveArticle(
    article(path, title, body),
    tags(["APT40"], { NZ: ["target"] }),
    file(path),
    {
      onSaved,
    },
  );
  return outcome.storyId;
}

/** What `/cyber why` shows of the story's rows in a channel: kind, status and tags. */
async function rows(store: ContractStore, storyId: string, channel: string) {
  return (await store.deliveriesOf(storyId, channel)).map((d) => [d.kind, d.status, d.tags]);
}

/** Marks every due row of the platform sent, as the dispatcher would. */
async function sendAll(
  store: ContractStore,
  clock: ManualClock,
  platform: "slack" | "discord",
): Promise<void> {
  const due = await store.outbox.due(platform, clock.now(), 100);
  const ids = await store.outbox.claim(
    due.map((d) => d.id),
    clock.now(),
  );
  await store.outbox.markSent(ids, "m1", clock.now());
}

contract("routed saves", ({ open }) => {
  it("queues one alert per subscribed channel, naming every key it matched, and tells onRouted after commit", async () => {
    const clock = new ManualClock();
    const store = await open({ clock });
    await follow(store, C1, "actor:APT40", "target:NZ");
    await follow(store, C2, "all");
    await follow(store, C3, "actor:Sandworm");
    const heard: number[] = [];
    store.outbox.onRouted((n) => heard.push(n));
    const id = await save(store, "/a.md", "APT40 hits New Zealand");
    expect(await rows(store, id, C1)).toEqual([["alert", "pending", "actor:APT40, target:NZ"]]);
    expect(await rows(store, id, C2)).toEqual([["alert", "pending", "all"]]);
    expect(await rows(store, id, C3)).toEqual([]);
    expect(heard.reduce((a, b) => a + b, 0)).toBe(2);
    // The same file again is unchanged: nothing more is queued.
    await save(store, "/a.md", "APT40 hits New Zealand");
    expect(await rows(store, id, C1)).toHaveLength(1);
    expect(heard.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("a revision queues an update of each sent alert once, and none for an alert still pending", async () => {
    const clock = new ManualClock();
    const store = await open({ clock });
    await follow(store, C1, "actor:APT40");
    await follow(store, C3, "actor:APT40");
    const id = await save(store, "/a.md", "APT40 hits New Zealand");
    await sendAll(store, clock, "slack");
    clock.advance(60_000);
    await save(store, "/a.md", "APT40 hits New Zealand", "A corrected body, with more words in it.");
    expect(await rows(store, id, C1)).toEqual([
      ["alert", "sent", "actor:APT40"],
      ["update", "pending", "actor:APT40"],
    ]);
    expect(await rows(store, id, C3)).toEqual([["alert", "pending", "actor:APT40"]]);
    // A second revision while the update waits adds nothing: that update shows the latest revision.
    await save(store, "/a.md", "APT40 hits New Zealand", "Corrected twice, the body grows longer again.");
    expect(await rows(store, id, C1)).toHaveLength(2);
  });

  it("a later source of an event replies in the thread of the event's alert instead of alerting again", async () => {
    const clock = new ManualClock();
    const store = await open({ clock });
    await follow(store, C1, "actor:APT40");
    const body = "APT40 broke into the parliament network of New Zealand, officials said on Tuesday. ".repeat(
      4,
    );
    const first = await save(store, "/a.md", "APT40 hits New Zealand", body);
    const copy = await save(store, "/wire/a.md", "APT40 hits New Zealand (wire)", body);
    expect(await rows(store, first, C1)).toEqual([["alert", "pending", "actor:APT40"]]);
    expect(await rows(store, copy, C1)).toEqual([["source", "pending", "actor:APT40"]]);
    const reasons = await store.storyReasons(copy);
    expect(reasons?.sources.map((s) => s.path)).toEqual(["/a.md", "/wire/a.md"]);
  });

  it("a batch routes each story in order: a copy later in the batch replies to the alert queued before it", async () => {
    const store = await open({ clock: new ManualClock() });
    await follow(store, C2, "all");
    const body = "Sandworm cut power in three regions, the grid operator said in a statement. ".repeat(4);
    const items = ["/x.md", "/wire/x.md"].map((path, i) => ({
      article: article(path, `Grid attack${i === 0 ? "" : " (wire)"}`, body),
      analysis: tags(["Sandworm"]),
      file: file(path),
    }));
    const [x, copy] = await store.saveArticles(items, { onSaved: routeStory });
    expect(await rows(store, x?.storyId as string, C2)).toEqual([["alert", "pending", "all"]]);
    expect(await rows(store, copy?.storyId as string, C2)).toEqual([["source", "pending", "all"]]);
  });

  it("queues nothing when nobody follows the story, and nothing for a save that does not alert", async () => {
    const store = await open({ clock: new ManualClock() });
    const heard: number[] = [];
    store.outbox.onRouted((n) => heard.push(n));
    const lone = await save(store, "/a.md", "APT40 hits New Zealand");
    await follow(store, C1, "actor:Sandworm");
    const other = await save(store, "/b.md", "APT40 strikes again");
    await follow(store, C2, "all");
    const [quiet] = await store.saveArticles(
      [
        {
          article: article("/q.md", "A quiet one"),
          analysis: tags(["APT40"]),
          file: file("/q.md"),
          alert: false,
        },
      ],
      { onSaved: routeStory },
    );
    for (const id of [lone, other, quiet?.storyId as string])
      for (const channel of [C1, C2]) expect(await rows(store, id, channel)).toEqual([]);
    expect(heard).toEqual([]);
  });

  it("a callback that throws rolls the story and its rows back", async () => {
    const store = await open({ clock: new ManualClock() });
    await follow(store, C1, "actor:APT40");
    const failing: OnSaved = (tx, saved) => {
      routeStory(tx, saved);
      throw new Error("routing broke");
    };
    await expect(save(store, "/a.md", "APT40 hits New Zealand", undefined, failing)).rejects.toThrow(
      "routing broke",
    );
    expect((await store.stats()).stories).toBe(0);
    expect((await store.fileRecords(["/a.md"])).size).toBe(0);
    const id = await save(store, "/a.md", "APT40 hits New Zealand");
    expect(await rows(store, id, C1)).toEqual([["alert", "pending", "actor:APT40"]]);
  });

  it("answers any question a callback asks, beyond what routing asks", async () => {
    const store = await open({ clock: new ManualClock() });
    await follow(store, C1, "actor:APT40");
    await follow(store, C2, "keyword:electoral commission");
    const seen: unknown[] = [];
    await save(
      store,
      "/a.md",
      "APT40 hits New Zealand",
      "The Electoral Commissions were breached.",
      (tx, saved) => {
        // A store may run the callback again from the start: what it saw is what the last run saw.
        seen.length = 0;
        // Channels are the store's numbers: only ones the transaction gave out can be asked about.
        const ids = (["actor:APT40", "keyword:electoral commission"] as TagKey[]).flatMap((k) =>
          tx.subscribers(k).flatMap((s) => s.channels),
        );
        seen.push(tx.anyActive(), tx.activeChannels(ids).size, tx.subscribers("actor:Nobody"));
        seen.push(
          tx.keywordHits(saved.storyRowid),
          tx.alertsOf(saved.storyRowid),
          tx.eventAlerts(saved.event.rowid, 1),
        );
        routeStory(tx, saved);
      },
    );
    expect(seen).toEqual([true, 2, [], ["keyword:electoral commission"], [], []]);
  });
});
