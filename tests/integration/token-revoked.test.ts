// A token revoked while the bot runs pauses that platform: no channel is switched off, the alerts wait, /readyz,
// `cyberbrief status` and one log line say why, and a restart with a valid token delivers them all once.

import { afterEach, describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/alerts/dispatcher.js";
import { runBot } from "../../src/main.js";
import type { SubscriptionStore } from "../../src/store/subscriptions.js";
import { alertsConfig, openStore, save, statuses, tags } from "../alerts/fixtures.js";
import { startBot } from "../chat/discord/harness.js";
import { APP_TOKEN, BOT_TOKEN, FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { runCli } from "../helpers/cli.js";
import { memoryLogger } from "../helpers/memory-log.js";
import { waitFor } from "../helpers/tmp.js";
import { readyz, workspace } from "./workspace.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CHANNELS = ["C1", "C2", "C3"].map((c) => `slack:${TEAM}/${c}`);
const TOKEN_LINE = /slack refused the bot's token; its alerts are paused/;

async function everyActive(store: SubscriptionStore, refs: string[]): Promise<boolean> {
  for (const ref of refs) {
    const subs = await store.subscriptions(ref);
    if (subs.length !== 1 || subs[0]?.disabledAt !== null) return false;
  }
  return true;
}

describe("a Slack token revoked while running", () => {
  it("pauses Slack without switching channels off, says so everywhere, and resumes after a restart", async () => {
    const fake = await FakeSlack.start();
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl };
    const ws = await workspace(env, CHANNELS);
    // Revoked just after start-up: the token check passed, every post from now on is refused.
    const refusals = Array.from({ length: 20 }, () => ({ kind: "error" as const, error: "token_revoked" }));
    fake.fail("chat.postMessage", ...refusals);
    const first = memoryLogger();
    const bot = await runBot(ws.config, first.log);
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await bot.stop();
    });
    await bot.firstScan;
    const refused = () => fake.callsTo("chat.postMessage").length > 0;
    await waitFor(() => refused() && !statuses(bot.core.store).includes("sending"), 10_000, "a refused post");
    expect(await everyActive(bot.core.subscriptions, CHANNELS)).toBe(true);
    await waitFor(() => bot.dispatcher.pauses.reason("slack"), 10_000, "Slack to be paused");
    await save(bot.core.store, "/later.txt", "A second story while revoked", tags([]));

    expect(await everyActive(bot.core.subscriptions, CHANNELS)).toBe(true);
    for (const ref of CHANNELS) expect(statuses(bot.core.store, ref)).toEqual(["pending", "pending"]);
    expect(first.lines.filter((l) => TOKEN_LINE.test(l.msg))).toHaveLength(1);
    const ready = await readyz(bot.opsPort);
    expect(ready.status).toBe(503);
    expect(ready.body.errors?.slack).toBe("alerts paused: Slack refused SLACK_BOT_TOKEN (token_revoked)");
    const status = await runCli(["status", "--db", ws.db, "--seeds", ws.seeds]);
    expect(status.stdout).toMatch(
      /Paused: {3}slack alerts, since .*: Slack refused SLACK_BOT_TOKEN \(token_revoked\)/,
    );
    expect(status.stdout).toMatch(/Subscriptions: 3 active, 0 switched off/);

    expect(fake.callsTo("chat.postMessage").length).toBeLessThanOrEqual(CHANNELS.length);
    await bot.stop();
    stopped = true;
    // A new token is set and the bot restarted: Slack accepts it.
    const port = fake.port;
    await fake.close();
    const slack = await FakeSlack.start({ port });
    cleanups.push(() => slack.close());
    const second = memoryLogger();
    const again = await runBot(ws.config, second.log);
    cleanups.push(() => again.stop());
    await waitFor(
      () => CHANNELS.every((ref) => statuses(again.core.store, ref).every((s) => s === "sent")),
      10_000,
      "every queued alert",
    );
    const delivered = slack.callsTo("chat.postMessage").map((c) => c.params.channel);
    expect(delivered.sort()).toEqual(["C1", "C1", "C2", "C2", "C3", "C3"]);
    expect(await again.core.outbox.platformStates()).toEqual([]);
    expect(await everyActive(again.core.subscriptions, CHANNELS)).toBe(true);
    expect((await readyz(again.opsPort)).status).toBe(200);
  });
});

describe("a Discord token reset while running (401)", () => {
  it("pauses Discord: channels stay subscribed, alerts stay queued, one error line", async () => {
    const bot = await startBot();
    const store = openStore();
    const { log, lines } = memoryLogger();
    const dispatcher = new Dispatcher({
      outbox: store.outbox,
      adapters: new Map([["discord", bot.adapter]]),
      log,
      alerts: alertsConfig({ sendTimeoutMs: 2000 }),
    });
    cleanups.push(async () => {
      await dispatcher.stop();
      await bot.stop();
      await store.close();
    });
    const g = bot.fake.guild;
    const refs = g.channels.map((c) => `discord:${g.id}/${c}`);
    for (const ref of refs) await store.subscribe(ref, "all", "U1");
    bot.fake.opts.token = "reset-in-the-developer-portal";
    dispatcher.start();
    await save(store, "/a.txt", "Any story", tags([]));
    await save(store, "/b.txt", "Another story", tags([]));
    const refused = () => bot.fake.find("POST", /\/messages$/).some((r) => r.status === 401);
    await waitFor(() => refused() && !statuses(store).includes("sending"), 5000, "a refused post");
    expect(await everyActive(store, refs)).toBe(true);
    // Retrying the refused token would use up the attempts and drop the alerts; pausing keeps them.
    const settled = () => dispatcher.pauses?.reason("discord") || statuses(store).includes("failed");
    await waitFor(settled, 5000, "Discord to be paused");
    expect(statuses(store)).toEqual(["pending", "pending", "pending", "pending"]);
    expect(await store.outbox.platformStates()).toMatchObject([{ platform: "discord", state: "paused" }]);
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([
      expect.stringMatching(/^alerts: discord refused the bot's token/),
    ]);
    expect(bot.errors).toEqual([]);
  });
});
