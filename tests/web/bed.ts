// A store for the web page tests: stories with tags (one with a hostile title), subscriptions, deliveries in
// each state, a feed; and the web app on it.

import { routeStory } from "../../src/alerts/routing.js";
import { silentLogger } from "../../src/log/logger.js";
import { sqliteInsights } from "../../src/store/sqlite/insights.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import type { WebDeps } from "../../src/web/parts.js";
import { webApp } from "../../src/web/server.js";
import { article, file, ManualClock } from "../alerts/fixtures.js";
import { gazetteer } from "../helpers/filled-store.js";
import { analyse } from "../helpers/ingest.js";
import { tempDir } from "../helpers/tmp.js";

export const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> Leak`;
export const TOKEN = "test-token-0123456789abcdef";
export const GOOD = "slack:T1/CGOOD";
export const DEAD = "discord:G1/999";

export interface WebBed {
  store: SqliteStoryStore;
  deps: WebDeps;
  ids: { apt40: string; hostile: string; nz: string };
  clock: ManualClock;
}

export async function webBed(dir = tempDir()): Promise<WebBed> {
  const clock = new ManualClock(Date.parse("2026-12-02T10:00:00Z"));
  const store = new SqliteStoryStore(`${dir}/cb.db`, { clock });
  await store.subscribe(GOOD, "actor:APT40", "U0ANALYST");
  await store.subscribe(DEAD, "country:NZ", "U0MOD");
  const save = async (path: string, date: string, title: string, body: string) => {
    const a = { ...article(path, title, body), date };
    return (await store.saveArticle(a, analyse(a), file(path), { onSaved: routeStory })).storyId;
  };
  const apt40 = await save(
    "/apt40.txt",
    "2026-11-30",
    "APT40 breaches a fisheries ministry",
    "APT40, the Chinese state-sponsored group, breached a fisheries ministry in Wellington, New Zealand, officials said.",
  );
  const hostile = await save(
    "/hostile.txt",
    "2026-11-20",
    HOSTILE,
    `${HOSTILE} Kryptonite Panda hacked a port in Tauranga.`,
  );
  // The hostile story is edited once: its page lists the first version as an earlier revision.
  await save(
    "/hostile.txt",
    "2026-11-20",
    HOSTILE,
    `${HOSTILE} Kryptonite Panda hacked a port in Tauranga again.`,
  );
  const nz = await save(
    "/nz.txt",
    "2026-10-01",
    "Hackers hit New Zealand hospitals",
    "Chinese state-sponsored hackers breached hospitals in Auckland, New Zealand, deploying PlugX, officials said.",
  );
  // The APT40 alert went out in the good channel; the dead channel's first delivery failed for good.
  const now = clock.now();
  const good = await store.outbox.dueForChannel(GOOD, now + 1, 10);
  const dead = await store.outbox.dueForChannel(DEAD, now + 1, 10);
  const first = good.find((d) => d.kind === "alert");
  if (first) {
    await store.outbox.claim([first.id], now);
    await store.outbox.markSent([first.id], "m-1", now);
  }
  const gone = dead[0];
  if (gone) {
    await store.outbox.claim([gone.id], now);
    await store.outbox.disableChannel(DEAD, "Unknown Channel (10003)", [gone.id]);
  }
  await store.addFeed(
    { url: "https://news.example/feed.xml", name: "Example <b>News</b>", everyMs: 900_000, fullText: false },
    "cli",
    "cli",
  );
  const deps: WebDeps = {
    store,
    subscriptions: store,
    feeds: store,
    insights: sqliteInsights(store),
    names: gazetteer,
    log: silentLogger(),
    clock,
    token: TOKEN,
  };
  return { store, deps, ids: { apt40, hostile, nz }, clock };
}

export const appOf = (deps: WebDeps) => webApp(deps);
export const bearer = { authorization: `Bearer ${TOKEN}` };
