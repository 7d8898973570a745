// An SQLite installation to copy: real articles (the fixtures, and routed saves with a revision), subscriptions
// with their audit trail, an outbox with rows in each state (an edit pointing at its alert, a send in flight, a
// paused platform), the file ledger with a rejection and scans, and feeds with their state and a follower.

import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { routeStory } from "../../../src/alerts/routing.js";
import type { Article } from "../../../src/core/article.js";
import { IngestEngine } from "../../../src/ingest/engine.js";
import { silentLogger } from "../../../src/log/logger.js";
import { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import { article, file, ManualClock } from "../../alerts/fixtures.js";
import { analyse } from "../../helpers/ingest.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/articles");

export const APT40_CHANNEL = "slack:T1/CAPT40";
export const NZ_CHANNEL = "discord:G1/42";
export const DIGEST_CHANNEL = "console:digests";

/** Builds the installation in `dir`; returns the database path and the ids of the routed stories. */
export async function sqliteInstallation(dir: string): Promise<{ db: string; ids: string[] }> {
  const clock = new ManualClock(Date.parse("2026-12-01T09:00:00Z"));
  const db = join(dir, "cb.db");
  const store = new SqliteStoryStore(db, { clock });
  try {
    const seeds = join(dir, "seeds");
    mkdirSync(seeds);
    for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(seeds, f));
    const engine = new IngestEngine({
      analyse,
      log: silentLogger(),
      settleMs: 0,
      maxFileBytes: 1e6,
      store,
      seedsDir: seeds,
    });
    await engine.scan(seeds);

    await store.subscribe(APT40_CHANNEL, "actor:APT40", "U0ANALYST");
    await store.subscribe(NZ_CHANNEL, "country:NZ", "U0MOD");
    await store.subscribe(NZ_CHANNEL, "actor:APT28", "U0MOD");
    await store.unsubscribe(NZ_CHANNEL, "actor:APT28", "U0MOD");
    await store.subscribe(DIGEST_CHANNEL, "country:NZ", "console", { mode: "daily", at: "08:00" });

    const save = async (path: string, date: string, title: string, body: string) => {
      const a: Article = { ...article(path, title, body), date };
      clock.advance(60_000);
      return (await store.saveArticle(a, analyse(a), file(path), { onSaved: routeStory })).storyId;
    };
    const apt40 = await save(
      "/feeds/apt40.txt",
      "2026-11-30",
      "APT40 breaches a fisheries ministry",
      "APT40, the Chinese state-sponsored group, breached a fisheries ministry in Wellington, New Zealand, officials said.",
    );
    const nz = await save(
      "/feeds/nz.txt",
      "2026-11-28",
      "Hackers hit New Zealand hospitals",
      "Chinese state-sponsored hackers breached hospitals in Auckland, New Zealand, deploying PlugX, officials said.",
    );
    // The APT40 alert is sent, then the story is revised: an edit row points at the alert row.
    const due = [
      ...(await store.outbox.due("slack", clock.now(), 100)),
      ...(await store.outbox.due("discord", clock.now(), 100)),
    ];
    const alert = due.find((d) => d.channelRef === APT40_CHANNEL);
    const inFlight = due.find((d) => d.channelRef === NZ_CHANNEL);
    if (!alert || !inFlight) throw new Error("the saves routed no deliveries");
    await store.outbox.claim([alert.id], clock.now());
    await store.outbox.markSent([alert.id], "1733050000.000100", clock.now());
    // The NZ alert was being sent when the bot stopped.
    await store.outbox.claim([inFlight.id], clock.now());
    await save(
      "/feeds/apt40.txt",
      "2026-11-30",
      "APT40 breaches a fisheries ministry",
      "APT40, the Chinese state-sponsored group, breached a fisheries ministry in Wellington, New Zealand, and its port authority, officials said.",
    );
    await store.outbox.pausePlatform("discord", "the token was refused", clock.now());

    await store.recordRejection({ path: join(seeds, "empty.txt"), size: 0, mtimeMs: 1 }, "empty", "no text");
    await store.addFeed(
      { url: "https://news.example/rss", name: null, everyMs: 900_000, fullText: false },
      "cli",
      "admin",
    );
    const { feed } = await store.addFeed(
      { url: "https://blog.example/feed", name: "Blog", everyMs: 600_000, fullText: true },
      "chat",
      APT40_CHANNEL,
    );
    await store.updateFeed(feed.id, { etag: '"v1"', failures: 2, lastError: "HTTP 503" });
    // A removed feed's id is never given out again, on either store.
    const gone = await store.addFeed(
      { url: "https://old.example/rss", name: null, everyMs: 900_000, fullText: false },
      "cli",
      "admin",
    );
    await store.removeFeed(gone.feed.id);
    return { db, ids: [apt40, nz] };
  } finally {
    await store.close();
  }
}
