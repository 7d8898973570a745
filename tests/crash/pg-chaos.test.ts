// Issue 17's chaos check: three `cyberbrief run` replicas on one PostgreSQL, the real discord.js client against the
// fake Discord, 300 stories routed to 8 channels. The scheduler's leader is killed with SIGKILL, then random
// replicas, ten times in all, each restarted: every story is stored once, every alert is delivered, a repeat only
// for a send in flight at a kill, a new leader within 15 s each time, and no second ever above Discord's global
// limit of 50 requests.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { expect, it } from "vitest";
import { PgStoryStore } from "../../src/store/pg/store.js";
import { FakeDiscord } from "../chat/discord/fake-discord.js";
import { startCli } from "../helpers/cli.js";
import { describePg, freshDatabase } from "../helpers/pg.js";
import { waitFor } from "../helpers/tmp.js";
import { tempWorkspace } from "../helpers/workspace.js";

const STORIES = 300;
const ROUNDS = 10;
const REPLICAS = 3;
const GUILD = "1200000000000000001";
/** One channel per actor: each story names one of them, so it is routed to exactly one channel. */
const ACTORS = ["APT40", "APT28", "APT29", "Lazarus Group", "Sandworm", "Turla", "APT41", "Kimsuky"];
const CHANNELS = ACTORS.map((_, i) => String(1200000000000000100n + BigInt(i)));
/** The dispatcher's concurrency: at most this many sends are in flight when a replica dies. */
const MAX_IN_FLIGHT = 32;
const LEADER_WITHIN_MS = 15_000;
const GLOBAL_LIMIT = 50;

/**
 * A story nobody could merge with another: its own words, one actor, and a date of its own, five days after the
 * previous story's (the same actor's stories 40 days apart, beyond any event window).
 */
function story(i: number): string {
  const actor = ACTORS[i % ACTORS.length];
  const date = new Date(Date.UTC(2019, 0, 1) + i * 5 * 86_400_000).toISOString().slice(0, 10);
  const words = Array.from({ length: 60 }, (_, k) => `w${(i * 7919 + k * 104729) % 999983}x`).join(" ");
  return [
    "---",
    `title: "Chaos report ${i}: ${actor} intrusion number ${i}"`,
    `date: ${date}`,
    "---",
    `Investigators attributed intrusion number ${i} to ${actor}, a state-sponsored hacking group, after the`,
    `attackers breached network ${i} with stolen credentials and deployed a backdoor. ${words}.`,
  ].join("\n");
}

interface Replica {
  index: number;
  proc: ReturnType<typeof startCli>;
}

describePg("three replicas on PostgreSQL under repeated SIGKILL", () => {
  it("stores every story once, delivers every alert, elects a leader within 15 s, stays under 50 req/s", async () => {
    const url = await freshDatabase();
    const fake = await FakeDiscord.start({ guilds: [{ id: GUILD, name: "Chaos", channels: CHANNELS }] });
    const store = await PgStoryStore.open(url);
    for (const [i, ch] of CHANNELS.entries()) {
      const r = await store.subscribe(`discord:${GUILD}/${ch}`, `actor:${ACTORS[i]}`, "U0ADMIN");
      expect(r).toBeTruthy();
    }
    await store.close();
    const ws = tempWorkspace(() => {});
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const env = (index: number): Record<string, string> => ({
      CYBERBRIEF_DATABASE_URL: url,
      DISCORD_TOKEN: fake.opts.token,
      DISCORD_APPLICATION_ID: fake.opts.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_SHARD_COUNT: String(REPLICAS),
      DISCORD_SHARDS: String(index),
      CYBERBRIEF_FLOOD_THRESHOLD: "100000",
      LOG_LEVEL: "warn",
    });
    const start = (index: number): Replica => ({
      index,
      proc: startCli(["run", "--seeds", ws.seeds], { env: env(index) }),
    });
    const replicas = Array.from({ length: REPLICAS }, (_, i) => start(i));
    const leader = async (): Promise<{ term: number; pid: number } | undefined> => {
      const r = await db.query<{ term: string; holder: string }>(
        "SELECT term::text, holder FROM leader_terms WHERE role = 'scheduler'",
      );
      const row = r.rows[0];
      if (!row) return undefined;
      return { term: Number(row.term), pid: Number(row.holder.split(":").pop()) };
    };
    const alive = (pid: number) =>
      replicas.some((r) => r.proc.child.pid === pid && r.proc.child.exitCode === null);
    const kills: number[] = [];
    const takeovers: number[] = [];
    try {
      await waitFor(
        async () => {
          const l = await leader();
          return l !== undefined && alive(l.pid);
        },
        30_000,
        "a first leader",
      );
      let written = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const end = written + STORIES / ROUNDS; written < end; written++) {
          writeFileSync(join(ws.seeds, `chaos-${written}.txt`), story(written));
        }
        const before = await leader();
        const pick =
          round === 0
            ? replicas.find((r) => r.proc.child.pid === before?.pid)
            : replicas[Math.floor(Math.random() * replicas.length)];
        if (!pick) throw new Error("no replica to kill");
        const wasLeader = pick.proc.child.pid === before?.pid;
        pick.proc.child.kill("SIGKILL");
        await pick.proc.exited;
        kills.push(Date.now());
        const killedAt = Date.now();
        if (wasLeader) {
          await waitFor(
            async () => {
              const l = await leader();
              return l !== undefined && l.term > (before?.term ?? 0) && alive(l.pid);
            },
            LEADER_WITHIN_MS + 5000,
            `a new leader after round ${round}`,
          );
          takeovers.push(Date.now() - killedAt);
        }
        replicas[pick.index] = start(pick.index);
      }
      const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
      await waitFor(
        async () => (await count("SELECT count(*)::text AS n FROM stories")) === STORIES,
        150_000,
        "every story",
      ).catch(async (err) => {
        const stored = await count("SELECT count(*)::text AS n FROM stories");
        const files = await db.query("SELECT count(*)::int AS n FROM files");
        const rejected = await db
          .query("SELECT reason, detail FROM rejections LIMIT 3")
          .catch(() => ({ rows: [] }));
        const leaders = await db.query("SELECT role, term, holder FROM leader_terms ORDER BY role");
        const logs = replicas.map((r) => `replica ${r.index}: ${r.proc.out.stderr.slice(-1500)}`).join("\n");
        throw new Error(
          `${(err as Error).message}: ${stored} stored, ${JSON.stringify(files.rows)} files, ${JSON.stringify(rejected.rows)}, ${JSON.stringify(leaders.rows)}\n${logs}`,
        );
      });
      try {
        await waitFor(
          async () =>
            (await count("SELECT count(*)::text AS n FROM deliveries WHERE status <> 'sent'")) === 0 &&
            (await count("SELECT count(*)::text AS n FROM deliveries WHERE kind = 'alert'")) === STORIES,
          180_000,
          "every alert sent",
        );
      } catch (err) {
        const states = await db.query(
          "SELECT kind, status, claimed_by, count(*)::int AS n FROM deliveries GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        );
        const leaders = await db.query("SELECT role, term, holder FROM leader_terms ORDER BY role");
        const errors = await db.query(
          "SELECT DISTINCT last_error FROM deliveries WHERE last_error IS NOT NULL LIMIT 5",
        );
        const logs = replicas.map((r) => `replica ${r.index}: ${r.proc.out.stderr.slice(-1500)}`).join("\n");
        throw new Error(
          `${(err as Error).message}\n${JSON.stringify(states.rows)}\n${JSON.stringify(leaders.rows)}\n${JSON.stringify(errors.rows)}\n${logs}`,
        );
      }
    } finally {
      for (const r of replicas) r.proc.child.kill("SIGTERM");
      await Promise.all(replicas.map((r) => r.proc.exited));
      await db.end();
      await fake.close();
    }

    // Every story once.
    expect(takeovers.length).toBeGreaterThanOrEqual(1);
    for (const ms of takeovers) expect(ms).toBeLessThanOrEqual(LEADER_WITHIN_MS);
    // Every alert delivered; a repeat only for a send in flight when a replica died.
    const posts = fake.find("POST", /\/channels\/\d+\/messages$/);
    const byTitle = new Map<string, number[]>();
    for (const p of posts) {
      const embeds = (p.body as { embeds?: Array<{ title?: string }> }).embeds ?? [];
      const title = embeds[0]?.title ?? "";
      const m = /^Chaos report (\d+):/.exec(title);
      if (!m) continue;
      byTitle.set(m[1] as string, [...(byTitle.get(m[1] as string) ?? []), p.at]);
    }
    expect(byTitle.size).toBe(STORIES);
    const repeated = [...byTitle].filter(([, at]) => at.length > 1);
    expect(repeated.length).toBeLessThanOrEqual(kills.length * MAX_IN_FLIGHT);
    for (const [, at] of repeated) {
      expect(at.length).toBe(2);
      // The first send went out before some kill and its replica died before recording it.
      expect(kills.some((k) => (at[0] as number) <= k + 50)).toBe(true);
    }
    // Never above the global limit in any one-second window.
    const times = fake.requests.map((r) => r.at).sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    expect(peak).toBeLessThanOrEqual(GLOBAL_LIMIT);
  }, 600_000);
});
