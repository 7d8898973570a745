// Repeated crashes: `cyberbrief run` is killed with SIGKILL ten times at seeded moments, during ingest (a chosen
// time after start-up, while the scan is storing) and during delivery (once a chosen number of messages has been
// posted), and restarted each time; a final run is left to finish. In the end every article is stored exactly
// once, every (story, channel) alert was delivered, and a story reached a channel twice only when its message
// was in flight at a kill: bounded by kills x the dispatcher's concurrency, and always among the last messages
// of a killed run.
//
// Alerts to one channel are gathered into flood summaries that list only a few titles, so deliveries are checked
// in the outbox (every row sent, with the id of a message the platform accepted) and repeats are counted by the
// story total each posted message states ("25 new stories", or 1 for an alert). CYBERBRIEF_FLOOD_WINDOW_MS=1000
// and CYBERBRIEF_FLOOD_SUMMARY_MAX=25 keep delivery spread over many messages (kills land among them) and short:
// a summary of at most 25 stories per channel per second.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { ApiCall } from "../chat/slack/fake-slack.js";
import { startCli } from "../helpers/cli.js";
import { slackRun } from "../helpers/slack-run.js";
import { waitFor } from "../helpers/tmp.js";
import { seededRandom } from "./random.js";

const SEED = 0xc0ffee;
const ARTICLES = 300;
const CHANNELS = 8;
const KILLS = 10;
/** The dispatcher's default concurrency: at most this many messages are in flight when the process dies. */
const MAX_IN_FLIGHT = 32;

/** Short, distinct, untagged but cyber articles (they reach `all`). */
function writeArticles(seeds: string): void {
  for (let i = 0; i < ARTICLES; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    const folder = join(seeds, `batch-${i % 7}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, `brief-${i}.txt`),
      `date 2024-03-${day}\n\nBrief ${i}\n\nAnalysts logged ransomware intrusion ${i}.\n`,
    );
  }
}

/** How many stories a posted message carries: a summary states its total, an alert is one. */
function storyCount(call: ApiCall): number {
  const text = call.params.text ?? "";
  const total = /^(\d+) new stor/.exec(text);
  if (total) return Number(total[1]);
  if (text.startsWith("New story")) return 1;
  throw new Error(`not an alert or a summary: ${text}`);
}

describe("crash safety under repeated SIGKILL", () => {
  it("10 kills during ingest and delivery: every story stored once, every alert sent, repeats only in flight", async () => {
    const channels = Array.from({ length: CHANNELS }, (_, i) => `C${i}KILL`);
    const { fake, env, args, db } = await slackRun(channels, {
      write: writeArticles,
      // One summary of at most 25 per channel per second: kills land among many messages, stragglers wait 1 s.
      env: { CYBERBRIEF_FLOOD_WINDOW_MS: "1000", CYBERBRIEF_FLOOD_SUMMARY_MAX: "25", LOG_LEVEL: "info" },
    });
    const reader = new Database(db, { readonly: true });
    const storedCount = () => reader.prepare("SELECT count(*) FROM stories").pluck().get() as number;
    const sentCount = () =>
      reader.prepare("SELECT count(*) FROM deliveries WHERE status = 'sent'").pluck().get() as number;
    const posts = () => fake.callsTo("chat.postMessage");

    const r = seededRandom(SEED);
    const kills: Array<{ mode: string; storiesAtKill: number; postsAtKill: number }> = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        const stories = storedCount();
        const run = startCli(args, { env });
        // A seeded moment. The first half of the kills land while stories are still being stored, a chosen time
        // after start-up (the scan starts then, and commits in batches, so this lands before, between or inside
        // them); the rest once every story is stored and a chosen number of messages has been posted in this run.
        // The phase is chosen by the kill's number, not by how fast this machine is.
        if (k < KILLS / 2 && stories < ARTICLES) {
          await waitFor(
            () => run.out.stderr.includes("cyberbrief is running"),
            20_000,
            `start (kill ${k + 1})`,
          );
          const moment = r.int(0, 700);
          await new Promise((resolve) => setTimeout(resolve, moment));
          kills.push({ mode: "ingest", storiesAtKill: storedCount(), postsAtKill: posts().length });
        } else {
          await waitFor(() => storedCount() >= ARTICLES, 60_000, `every story stored (kill ${k + 1})`);
          const target = posts().length + r.int(1, 3 * CHANNELS);
          await waitFor(() => posts().length >= target, 20_000, `${target} posts (kill ${k + 1})`);
          kills.push({ mode: "delivery", storiesAtKill: storedCount(), postsAtKill: posts().length });
        }
        run.child.kill("SIGKILL");
        await run.exited;
      }

      const final = startCli(args, { env });
      try {
        await waitFor(() => sentCount() >= ARTICLES * CHANNELS, 30_000, "every story in every channel");
      } finally {
        final.child.kill("SIGTERM");
      }
      expect(await final.exited).toBe(0);
    } finally {
      reader.close();
    }

    // Stored exactly once: one story per file, no duplicates, every file in the ledger as stored.
    const check = new Database(db, { readonly: true });
    let rows: Array<{ ref: string; ts: string }> = [];
    try {
      const one = (sql: string) => check.prepare(sql).pluck().get() as number;
      expect(one("SELECT count(*) FROM stories")).toBe(ARTICLES);
      expect(one("SELECT count(DISTINCT path) FROM stories")).toBe(ARTICLES);
      expect(one("SELECT count(DISTINCT content_hash) FROM stories")).toBe(ARTICLES);
      expect(one("SELECT count(*) FROM files WHERE status = 'stored'")).toBe(ARTICLES);
      expect(one("SELECT count(*) FROM files")).toBe(ARTICLES);
      expect(one("SELECT count(*) FROM deliveries")).toBe(ARTICLES * CHANNELS);
      expect(one("SELECT count(*) FROM deliveries WHERE status = 'sent'")).toBe(ARTICLES * CHANNELS);
      rows = check
        .prepare("SELECT channel_ref AS ref, message_id AS ts FROM deliveries")
        .all() as typeof rows;
    } finally {
      check.close();
    }

    // Every (story, channel) row was recorded sent with the id of a message the platform accepted, in its channel.
    const calls = posts();
    expect(calls.every((c) => c.answer?.ok === true)).toBe(true);
    const accepted = new Set(calls.map((c) => `${c.params.channel} ${String(c.answer?.ts)}`));
    expect(rows.filter((r) => !accepted.has(`${r.ref.replace(/^slack:[^/]*\//, "")} ${r.ts}`))).toEqual([]);

    // Runs are told apart by their start-up auth.test: a message belongs to the run that last said hello.
    const runOf: number[] = [];
    let run = -1;
    for (const c of fake.calls) {
      if (c.method === "auth.test") run++;
      if (c.method === "chat.postMessage") runOf.push(run);
    }
    expect(run).toBe(KILLS); // ten killed runs and the final one

    // Stories posted beyond one per (story, channel) are repeats: they can only come from messages in flight at a
    // kill, so they are bounded by what the last MAX_IN_FLIGHT messages of each killed run carried.
    const posted = calls.reduce((n, c) => n + storyCount(c), 0);
    const repeats = posted - ARTICLES * CHANNELS;
    expect(repeats).toBeGreaterThanOrEqual(0);
    const lastOfRun = new Map<number, number>();
    for (const [i, r] of runOf.entries()) lastOfRun.set(r, i);
    let inFlightAtKills = 0;
    calls.forEach((call, i) => {
      const r = runOf[i] as number;
      if (r < KILLS && (lastOfRun.get(r) as number) - i < MAX_IN_FLIGHT) inFlightAtKills += storyCount(call);
    });
    expect(repeats).toBeLessThanOrEqual(inFlightAtKills);
    // The kills landed where they were aimed: some while storing, some while delivering.
    expect(kills.some((k) => k.mode === "ingest" && k.storiesAtKill < ARTICLES)).toBe(true);
    expect(kills.some((k) => k.mode === "delivery")).toBe(true);
  }, 240_000);
});
