// A revised story reaches the channels that already had it, through the real dispatcher and the real clients:
// Slack and Discord edit the posted alert in place, the console prints an "updated" line.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import type { ChatAdapter } from "../../src/chat/types.js";
import type { Config } from "../../src/config/schema.js";
import { silentLogger } from "../../src/log/logger.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { alertsConfig, deliveries, save, tags } from "../alerts/fixtures.js";
import { waitFor } from "../helpers/tmp.js";
import { consoleWithArticle, discordFollowingNz, slackFollowingNz } from "./scenes.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dispatch(store: SqliteStoryStore, adapter: ChatAdapter, alerts: Partial<Config["alerts"]> = {}) {
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    adapters: new Map([[adapter.platform, adapter]]),
    log: silentLogger(),
    alerts: alertsConfig({ sendTimeoutMs: 2000, ...alerts }),
  });
  dispatcher.start();
  cleanups.push(() => dispatcher.stop());
}

const NZ_TAGS = tags([], { NZ: ["mentioned"] });
const allSent = (store: SqliteStoryStore) => deliveries(store).every((d) => d.status === "sent");

async function slack(alerts: Partial<Config["alerts"]> = {}) {
  const { fake, adapter, store } = await slackFollowingNz(cleanups);
  dispatch(store, adapter, alerts);
  return { fake, store };
}

describe("a revised story on Slack", () => {
  it("edits the channel's alert in place (chat.update on the stored ts) with the new title", async () => {
    const { fake, store } = await slack();
    await save(store, "/a.txt", "APT40 suspected in NZ breach", NZ_TAGS);
    await waitFor(() => allSent(store), 5000, "the alert");
    const ts = deliveries(store)[0]?.message_id ?? "";
    await save(store, "/a.txt", "APT40 confirmed in NZ breach", NZ_TAGS, "Confirmed by the agency.");
    await waitFor(() => deliveries(store).length === 2 && allSent(store), 5000, "the edit");
    expect(fake.callsTo("chat.update").map((c) => c.params.ts)).toEqual([ts]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.messages.get(ts)?.blocks[0]?.text?.text).toBe("APT40 confirmed in NZ breach");
    expect(JSON.stringify(fake.messages.get(ts)?.blocks)).toContain("Why: updated; subscribed to country:NZ");
  });

  it("after a digest, posts a short 'updated' message instead of editing the digest", async () => {
    const { fake, store } = await slack({ floodThreshold: 2 });
    for (const n of [1, 2, 3]) await save(store, `/${n}.txt`, `NZ story ${n}`, NZ_TAGS);
    await waitFor(() => allSent(store), 5000, "the digest");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    await save(store, "/2.txt", "NZ story 2, corrected", NZ_TAGS, "Corrected.");
    await waitFor(() => deliveries(store).length === 4 && allSent(store), 5000, "the update");
    expect(fake.callsTo("chat.update")).toHaveLength(0);
    const update = fake.callsTo("chat.postMessage")[1];
    expect(update?.params.text).toBe(
      "Updated story (updated; subscribed to country:NZ): NZ story 2, corrected",
    );
  });
});

describe("a revised story on Discord", () => {
  it("edits the channel's alert in place (PATCH on the stored message id) with the new title", async () => {
    const { bot, store } = await discordFollowingNz(cleanups);
    dispatch(store, bot.adapter);
    await save(store, "/a.txt", "APT40 suspected in NZ breach", NZ_TAGS);
    await waitFor(() => allSent(store), 5000, "the alert");
    const id = deliveries(store)[0]?.message_id ?? "";
    await save(store, "/a.txt", "APT40 confirmed in NZ breach", NZ_TAGS, "Confirmed by the agency.");
    await waitFor(() => deliveries(store).length === 2 && allSent(store), 5000, "the edit");
    expect(bot.fake.find("PATCH", /\/messages\/\d+$/).map((r) => r.path.split("/").pop())).toEqual([id]);
    expect(bot.fake.messages.size).toBe(1);
    const [embed] = (bot.fake.messages.get(id)?.embeds ?? []) as Array<{ title?: string }>;
    expect(embed?.title).toBe("APT40 confirmed in NZ breach");
  });
});

describe("a revised story on the console", () => {
  it("prints an 'updated' line with the story id and the new title", async () => {
    const seedFile = join(import.meta.dirname, "../../seeds/000_ab7ccafc986ab3a2.txt");
    const { bot, seeds, path: seed, read } = await consoleWithArticle(cleanups, seedFile, "seed.txt");
    const id = /\[([0-9a-f]+)\]/.exec(read().slice(read().indexOf(">> New story")))?.[1] ?? "";
    writeFileSync(seed, `${readFileSync(seed, "utf8")}\n\nOfficials later confirmed the attribution.\n`);
    expect((await bot.core.engine.scan(seeds)).updated).toBe(1);
    await waitFor(() => read().includes("~ updated"), 5000, "the updated line");
    const story = await bot.core.store.getStory(id);
    // Long titles wrap to the console's width: compare with the line breaks and indents folded.
    const updated = read().slice(read().indexOf("~ updated")).replace(/\s+/g, " ");
    expect(updated.startsWith(`~ updated [${id}] ${story?.title} `)).toBe(true);
    expect(read().match(/>> New story/g)).toHaveLength(1);
  });
});
