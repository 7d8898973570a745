// A later source of an alerted event through the real store (which merges a near-copy into the event), the real
// dispatcher and the real clients: on Slack and Discord it lands in the alert's thread and the alert shows
// "+1 source"; a revision still edits the alert in place; the console prints a "+ also reported by" line.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import { routeStory } from "../../src/alerts/routing.js";
import type { ChatAdapter } from "../../src/chat/types.js";
import type { Article } from "../../src/core/article.js";
import { isRejected, readArticle } from "../../src/ingest/reader.js";
import { silentLogger } from "../../src/log/logger.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { alertsConfig, deliveries, file } from "../alerts/fixtures.js";
import { analyse } from "../helpers/ingest.js";
import { waitFor } from "../helpers/tmp.js";
import { consoleWithArticle, discordFollowingNz, slackFollowingNz } from "./scenes.js";

const EVENTS = join(import.meta.dirname, "../fixtures/events");

/** A labelled article of the events set: "-a" is a report, "-b" a wire copy of it in other boilerplate. */
function fixture(name: string): Article {
  const path = join(EVENTS, `${name}.md`);
  const a = readArticle(readFileSync(path), { path, mtimeMs: 0 });
  if (isRejected(a)) throw new Error(a.detail);
  return a;
}

/** Saves as ingest does: tagged by the shipped analyser, the event decided and alerts routed in the save. */
const saveReal = (store: SqliteStoryStore, a: Article) =>
  store.saveArticle(a, analyse(a), file(a.path), { onSaved: routeStory });

/** The report again, with a sentence added: a revision of the same story. */
function revised(a: Article): Article {
  const body = `${a.body}\n\nOfficials later confirmed the attribution.`;
  return {
    ...a,
    body,
    contentHash: `${a.contentHash}-r2`,
    blocks: [...a.blocks, { kind: "paragraph", text: body }],
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dispatch(store: SqliteStoryStore, adapter: ChatAdapter) {
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    adapters: new Map([[adapter.platform, adapter]]),
    log: silentLogger(),
    alerts: alertsConfig({ sendTimeoutMs: 2000 }),
  });
  dispatcher.start();
  cleanups.push(() => dispatcher.stop());
}

const REPORT = fixture("e01-apt40-nz-a");
const COPY = fixture("e01-apt40-nz-b");
const settled = (store: SqliteStoryStore, n: number) => () =>
  deliveries(store).length === n && deliveries(store).every((d) => d.status === "sent");

describe("a later source on Slack", () => {
  it("lands in the alert's thread, the alert shows '+1 source'; a revision still edits the alert", async () => {
    const { fake, adapter, store } = await slackFollowingNz(cleanups);
    dispatch(store, adapter);
    await saveReal(store, REPORT);
    await waitFor(settled(store, 1), 5000, "the alert");
    const ts = deliveries(store)[0]?.message_id ?? "";
    await saveReal(store, COPY);
    await waitFor(settled(store, 2), 5000, "the thread reply");
    expect(deliveries(store).map((d) => d.kind)).toEqual(["alert", "source"]);
    const [reply] = fake.replies(ts);
    expect(JSON.stringify(reply?.blocks)).toContain(
      "Also reported by Pacific Newswire syndication (e01-apt40-nz-b.md), 2024-03-12",
    );
    expect(JSON.stringify(fake.messages.get(ts)?.blocks)).toContain("*+1 source*");
    expect(fake.callsTo("chat.postMessage").filter((c) => !c.params.thread_ts)).toHaveLength(1);
    await saveReal(store, revised(REPORT));
    await waitFor(settled(store, 3), 5000, "the edit");
    expect(fake.callsTo("chat.update").map((c) => c.params.ts)).toEqual([ts, ts]);
    const edited = JSON.stringify(fake.messages.get(ts)?.blocks);
    expect(edited).toContain("Why: updated; subscribed to country:NZ");
    expect(edited).toContain("*+1 source*");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
  });
});

describe("a later source on Discord", () => {
  it("lands in a thread on the alert, the alert shows '+1 source'; a revision still edits the alert", async () => {
    const { bot, store } = await discordFollowingNz(cleanups);
    dispatch(store, bot.adapter);
    await saveReal(store, REPORT);
    await waitFor(settled(store, 1), 5000, "the alert");
    const id = deliveries(store)[0]?.message_id ?? "";
    await saveReal(store, COPY);
    await waitFor(settled(store, 2), 5000, "the thread reply");
    const replyId = deliveries(store)[1]?.message_id ?? "";
    expect(bot.fake.threads.get(id)?.name).toBe(REPORT.title);
    expect(bot.fake.messages.get(replyId)?.channel_id).toBe(id);
    const [parent] = (bot.fake.messages.get(id)?.embeds ?? []) as Array<{ footer?: { text: string } }>;
    expect(parent?.footer?.text).toContain("+1 source");
    await saveReal(store, revised(REPORT));
    await waitFor(settled(store, 3), 5000, "the edit");
    const [embed] = (bot.fake.messages.get(id)?.embeds ?? []) as Array<{
      author?: { name: string };
      footer?: { text: string };
    }>;
    expect(embed?.author?.name).toBe("Updated story · updated; subscribed to country:NZ");
    expect(embed?.footer?.text).toContain("+1 source");
    expect(bot.fake.find("POST", /\/channels\/\d+\/messages$/)).toHaveLength(2);
  });
});

describe("a later source on the console", () => {
  it("prints an indented '+ also reported by' line under the alert, and no second alert", async () => {
    const { bot, seeds, read } = await consoleWithArticle(
      cleanups,
      join(EVENTS, "e01-apt40-nz-a.md"),
      "report.md",
    );
    writeFileSync(join(seeds, "wire.md"), readFileSync(join(EVENTS, "e01-apt40-nz-b.md")));
    expect((await bot.core.engine.scan(seeds)).new).toBe(1);
    await waitFor(() => read().includes("+ also reported by"), 5000, "the source line");
    const line = read().slice(read().indexOf("+ also reported by")).replace(/\s+/g, " ");
    expect(
      line.startsWith(`+ also reported by Pacific Newswire syndication (wire.md), 2024-03-12: ${COPY.title}`),
    ).toBe(true);
    expect(read().match(/>> New story/g)).toHaveLength(1);
  });
});
