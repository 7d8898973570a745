// A 2,000-story backlog through the real dispatcher and the real Slack and Discord clients: one summary each.

import { afterEach, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import type { ChatAdapter } from "../../src/chat/types.js";
import { silentLogger } from "../../src/log/logger.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { alertsConfig, openStore, save, tags } from "../alerts/fixtures.js";
import { startBot } from "../chat/discord/harness.js";
import { FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { scriptedHandler, startAdapter } from "../chat/slack/fixtures.js";
import { waitFor } from "../helpers/tmp.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const STORIES = 2000;

/** Half the backlog is about APT40, a third about Volt Typhoon, the rest about Sandworm. */
async function backlog(store: SqliteStoryStore): Promise<void> {
  for (let i = 0; i < STORIES; i++) {
    const actor = i % 6 < 3 ? "APT40" : i % 6 < 5 ? "Volt Typhoon" : "Sandworm";
    await save(store, `/b${i}.txt`, `Backlog story ${i}`, tags([actor], { NZ: ["mentioned"] }));
  }
}

const unsent = (store: SqliteStoryStore) =>
  store.db.prepare("SELECT count(*) FROM deliveries WHERE status != 'sent'").pluck().get() as number;

function dispatch(store: SqliteStoryStore, adapters: ChatAdapter[]): void {
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    adapters: new Map(adapters.map((a) => [a.platform, a])),
    log: silentLogger(),
    alerts: alertsConfig({ sendTimeoutMs: 5000 }),
  });
  dispatcher.start();
  cleanups.push(() => dispatcher.stop());
}

describe("a 2,000-story backlog", () => {
  it("gives a Slack channel and a Discord channel one summary each, counting them and naming the top actors", async () => {
    const slack = await FakeSlack.start();
    const running = await startAdapter(slack, scriptedHandler().handler, "http");
    const bot = await startBot();
    const store = openStore();
    cleanups.push(async () => {
      await running.adapter.stop();
      await slack.close();
      await bot.stop();
      await store.close();
      expect(running.errors).toEqual([]);
      expect(bot.errors).toEqual([]);
    });
    const g = bot.fake.guild;
    await store.subscribe(`slack:${TEAM}/C0FLOOD`, "country:NZ", "U1");
    await store.subscribe(`discord:${g.id}/${g.channels[0]}`, "all", "U1");
    await backlog(store);
    dispatch(store, [running.adapter, bot.adapter]);
    await waitFor(() => unsent(store) === 0, 20_000, "the backlog sent");

    const posts = slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.answer?.ok).toBe(true);
    expect(posts[0]?.params.text).toMatch(/^2000 new stories, most about APT40, Volt Typhoon/);
    expect(posts[0]?.params.blocks).toContain("/cyber latest");

    const sent = bot.fake.find("POST", /\/channels\/\d+\/messages$/);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.status).toBe(200);
    const [embed] = ([...bot.fake.messages.values()][0]?.embeds ?? []) as Array<{
      title?: string;
      description?: string;
    }>;
    expect(embed?.title).toMatch(/^2000 new stories, most about APT40, Volt Typhoon/);
    expect(embed?.description).toContain("more: /cyber latest");

    const perChannel = store.db
      .prepare(
        "SELECT channel_ref, count(DISTINCT message_id) AS m, count(*) AS n FROM deliveries GROUP BY 1",
      )
      .all();
    expect(perChannel).toEqual([
      { channel_ref: `discord:${g.id}/${g.channels[0]}`, m: 1, n: STORIES },
      { channel_ref: `slack:${TEAM}/C0FLOOD`, m: 1, n: STORIES },
    ]);
  });
});
