// Repeated crashes: `cyberbrief run` is killed with SIGKILL ten times at seeded moments, during ingest (a chosen
// time after start-up, while the scan is storing) and during delivery (once a chosen number of messages has been
// posted), and restarted each time; a final run is left to finish. In the end every article is stored exactly
// once, every (story, channel) alert was delivered, and a story reached a channel twice only when its message
// was in flight at a kill: bounded by kills x the dispatcher's concurrency, and always among the last messages
// of a killed run.
//
// Alerts to one channel are batched into digests (flood control), so deliveries are counted by the story ids
// each posted message names ("/cyber story <id>" in its blocks), not by messages. CYBERBRIEF_FLOOD_THRESHOLD=25
// keeps the test short: stragglers wait 2.4 s for the next digest instead of 12 s.

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

/** Short, distinct, untagged but cyber articles (they reach `all`): 25 fit in one Slack digest, so every story id shows in its message. */
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

/** The story ids a posted message names, once each. */
function storyIds(call: ApiCall): string[] {
  const ids = new Set<string>();
  for (const m of (call.params.blocks ?? "").matchAll(/\/cyber story ([0-9a-f]{4,64})/g))
    ids.add(m[1] as string);
  return [...ids];
}

describe("crash safety under repeated SIGKILL", () => {
  it("10 kills during ingest and delivery: every story stored once, every alert sent, repeats only in flight", async () => {
    const channels = Array.from({ length: CHANNELS }, (_, i) => `C${i}KILL`);
    const { fake, env, args, db } = await slackRun(channels, {
      write: writeArticles,
      // Past 25 stories due at once a channel gets digests of 25, and a straggler waits 60/25 s, not 12 s.
      env: { CYBERBRIEF_FLOOD_THRESHOLD: "25", LOG_LEVEL: "info" },
    });
    const reader = new Database(db, { readonly: true });
    const storedCount = () => reader.prepare("SELECT count(*) FROM stories").pluck().get() as number;
    const posts = () => fake.callsTo("chat.postMessage");
    const okPosts = () => posts().filter((c) => c.answer?.ok === true);

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
      const received = () => {
        const seen = new Map<string, Set<string>>(channels.map((c) => [c, new Set()]));
        for (const call of okPosts())
          for (const id of storyIds(call)) seen.get(call.params.channel ?? "")?.add(id);
        return seen;
      };
      try {
        await waitFor(
          () => [...received().values()].every((ids) => ids.size >= ARTICLES),
          30_000,
          "every story in every channel",
        );
      } finally {
        final.child.kill("SIGTERM");
      }
      expect(await final.exited).toBe(0);
    } finally {
      reader.close();
    }

    // Stored exactly once: one story per file, no duplicates, every file in the ledger as stored.
    const check = new Database(db, { readonly: true });
    try {
      const one = (sql: string) => check.prepare(sql).pluck().get() as number;
      expect(one("SELECT count(*) FROM stories")).toBe(ARTICLES);
      expect(one("SELECT count(DISTINCT path) FROM stories")).toBe(ARTICLES);
      expect(one("SELECT count(DISTINCT content_hash) FROM stories")).toBe(ARTICLES);
      expect(one("SELECT count(*) FROM files WHERE status = 'stored'")).toBe(ARTICLES);
      expect(one("SELECT count(*) FROM files")).toBe(ARTICLES);
      expect(one("SELECT count(*) FROM deliveries")).toBe(ARTICLES * CHANNELS);
      expect(one("SELECT count(*) FROM deliveries WHERE status = 'sent'")).toBe(ARTICLES * CHANNELS);
    } finally {
      check.close();
    }

    // Every expected (story, channel) pair arrived, with each message's story ids all shown.
    const calls = posts();
    expect(calls.every((c) => c.answer?.ok === true)).toBe(true);
    expect(calls.filter((c) => (c.params.blocks ?? "").includes("not shown"))).toEqual([]);

    // Runs are told apart by their start-up auth.test: a message belongs to the run that last said hello.
    const runOf: number[] = [];
    let run = -1;
    for (const c of fake.calls) {
      if (c.method === "auth.test") run++;
      if (c.method === "chat.postMessage") runOf.push(run);
    }
    expect(run).toBe(KILLS); // ten killed runs and the final one

    const first = new Map<string, number>();
    const repeatedMessages = new Set<number>();
    const repeatedPairs = new Map<string, number>();
    calls.forEach((call, i) => {
      for (const id of storyIds(call)) {
        const pair = `${call.params.channel} ${id}`;
        if (!first.has(pair)) first.set(pair, i);
        else {
          repeatedMessages.add(i);
          repeatedPairs.set(pair, first.get(pair) as number);
        }
      }
    });
    expect(first.size).toBe(ARTICLES * CHANNELS);
    // Each repeat is bounded by what can be in flight at a kill.
    expect(repeatedMessages.size).toBeLessThanOrEqual(KILLS * MAX_IN_FLIGHT);
    // And its first send was among the last messages of a run that was then killed.
    const lastOfRun = new Map<number, number>();
    for (const [i, r] of runOf.entries()) lastOfRun.set(r, i);
    for (const [pair, at] of repeatedPairs) {
      const killedRun = runOf[at] as number;
      expect(killedRun, `${pair} first sent by the final run`).toBeLessThan(KILLS);
      const fromEnd = (lastOfRun.get(killedRun) as number) - at;
      expect(fromEnd, `${pair} first sent ${fromEnd} messages before its run was killed`).toBeLessThan(
        MAX_IN_FLIGHT,
      );
    }
    // The kills landed where they were aimed: some while storing, some while delivering.
    expect(kills.some((k) => k.mode === "ingest" && k.storiesAtKill < ARTICLES)).toBe(true);
    expect(kills.some((k) => k.mode === "delivery")).toBe(true);
  }, 240_000);
});
