// Secrets never reach the output: `cyberbrief run` with recognisable fake Slack and Discord tokens, at
// LOG_LEVEL=trace, through start-up (with a failing /cyber registration), signed and forged slash commands, a
// permission check, a Discord interaction, alert deliveries that meet a 500, a 429 and a dropped connection,
// /metrics and shutdown. Neither token nor the signing secret may appear in stdout, stderr or /metrics, nor in
// the messages of runs that fail at start-up. The test also proves the run did all of that (logs, replies,
// alerts, the token on the wire), so it cannot pass by doing nothing.

import { writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord, failures } from "../chat/discord/fake-discord.js";
import { buildInteraction } from "../chat/discord/fixtures.js";
import { BOT_TOKEN, FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { CHANNEL, postSigned, slashCommand } from "../chat/slack/fixtures.js";
import { startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/tmp.js";
import { subscribeAll, tempWorkspace } from "../helpers/workspace.js";
import { LEAK_MARKERS, SECRET_BOT_TOKEN, SECRET_DISCORD, SECRET_SIGNING } from "./leaks.js";

/** Any of these in the output is a leak: the whole values, and their distinctive middles (a cut-off token). */
const LEAKS = [SECRET_BOT_TOKEN, SECRET_SIGNING, SECRET_DISCORD, ...LEAK_MARKERS];

let fake: FakeSlack | undefined;
let proxy: Server | undefined;
let discord: FakeDiscord | undefined;

afterEach(async () => {
  await discord?.close();
  discord = undefined;
  proxy?.closeAllConnections();
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  await fake?.close();
  proxy = undefined;
  fake = undefined;
});

/**
 * FakeSlack accepts only its own bot token; this proxy in front of it swaps the secret one for it, and counts
 * the requests that carried the secret, which proves the bot really used it.
 */
async function tokenSwappingProxy(target: FakeSlack) {
  let seen = 0;
  /** Posts whose connection is cut before an answer (a network error for the client). */
  const cut = { posts: 0, done: 0 };
  const server = createServer((req, res) => {
    const auth = req.headers.authorization;
    if (auth === `Bearer ${SECRET_BOT_TOKEN}`) seen++;
    if (req.url?.endsWith("/chat.postMessage") && cut.posts > 0) {
      cut.posts--;
      cut.done++;
      req.socket.destroy();
      return;
    }
    const headers = { ...req.headers, host: `127.0.0.1:${target.port}` };
    if (auth) headers.authorization = auth.replace(SECRET_BOT_TOKEN, BOT_TOKEN);
    const upstream = request(
      { host: "127.0.0.1", port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/api/`, seen: () => seen, cut };
}

/** The first JSON log line with this message, parsed. */
function logLine(stderr: string, msg: string): Record<string, unknown> | undefined {
  for (const line of stderr.split("\n")) {
    if (!line.includes(msg)) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      // a partial line; the next poll sees it whole
    }
  }
  return undefined;
}

describe("secrets in the output", () => {
  it("start-up failures name the variable, never its value", async () => {
    fake = await FakeSlack.start();
    const dir = tempDir();
    const common = { SLACK_API_URL: fake.apiUrl, SLACK_PORT: "0", LOG_LEVEL: "trace" };
    const runs = [
      // FakeSlack does not know this token: auth.test answers invalid_auth.
      { ...common, SLACK_BOT_TOKEN: SECRET_BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET_SIGNING },
      // A secret in the wrong variable, and a Socket Mode token that is not one.
      { ...common, SLACK_BOT_TOKEN: "xapp-SECRET-BOT-0000", SLACK_APP_TOKEN: SECRET_SIGNING },
      { ...common, SLACK_BOT_TOKEN: SECRET_BOT_TOKEN, SLACK_PORT: SECRET_SIGNING },
    ];
    const started = runs.map((env, i) =>
      startCli(["run", "--seeds", join(dir, "seeds"), "--db", join(dir, `store-${i}.db`)], { env }),
    );
    for (const run of started) {
      expect(await run.exited).toBe(2);
      expect(run.out.stderr).toMatch(/cyberbrief: .*SLACK_(BOT_TOKEN|APP_TOKEN|PORT)/s);
      for (const marker of LEAKS) expect(run.out.stdout + run.out.stderr).not.toContain(marker);
    }
    expect(fake.callsTo("auth.test").length).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it("the Slack and Discord tokens and the signing secret never appear in stdout, stderr or /metrics at LOG_LEVEL=trace", async () => {
    discord = await FakeDiscord.start({ token: SECRET_DISCORD });
    const guild = discord.guild;
    const discordChannel = guild.channels[0] as string;
    const { seeds, db } = tempWorkspace();
    await subscribeAll(db, [`slack:${TEAM}/${CHANNEL}`, `discord:${guild.id}/${discordChannel}`]);
    // Registering /cyber fails (after the REST client's retries): logged with the error, and start-up goes on.
    discord.fail({
      method: "PUT",
      path: /\/commands$/,
      times: 10,
      respond: failures.api(500, 0, "Internal Server Error"),
    });

    fake = await FakeSlack.start();
    const swap = await tokenSwappingProxy(fake);
    proxy = swap.server;
    // The first alert meets a server error and the next a rate limit: the failure paths log too.
    fake.fail("chat.postMessage", { kind: "http", status: 500 }, { kind: "ratelimit", retryAfter: 1 });

    const bot = startCli(["run", "--seeds", seeds, "--db", db], {
      env: {
        SLACK_BOT_TOKEN: SECRET_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRET_SIGNING,
        SLACK_API_URL: swap.url,
        SLACK_PORT: "0",
        CYBERBRIEF_HTTP_PORT: "0",
        DISCORD_TOKEN: SECRET_DISCORD,
        DISCORD_APPLICATION_ID: discord.opts.applicationId,
        DISCORD_GUILD_ID: guild.id,
        DISCORD_API_URL: discord.apiUrl,
        LOG_LEVEL: "trace",
      },
    });
    let metrics = "";
    try {
      const listening = await waitFor(
        () => logLine(bot.out.stderr, "listening for Slack requests"),
        20_000,
        "the Slack receiver",
      );
      const events = `http://127.0.0.1:${listening.port as number}/slack/events`;
      const ops = await waitFor(
        () => logLine(bot.out.stderr, "health and metrics listening"),
        5000,
        "ops port",
      );
      await waitFor(() => logLine(bot.out.stderr, "cyberbrief is running"), 20_000, "start-up");

      // A Discord command, answered through the interaction callback (authorised by its own token).
      const ids = { applicationId: discord.opts.applicationId, guildId: guild.id, channelId: discordChannel };
      discord.interact(buildInteraction({ kind: "command", query: "apt40", ...ids }));
      const answered = await waitFor(() => discord?.callbacks()[0], 10_000, "the Discord reply");
      expect(JSON.stringify(answered)).toContain("APT40");

      // A command, a refused subscription (users.info with the token), and a forged request.
      expect(
        (await postSigned(events, slashCommand(fake, "apt40", "r1"), { secret: SECRET_SIGNING })).status,
      ).toBe(200);
      expect(
        (
          await postSigned(events, slashCommand(fake, "subscribe country:nz", "r2"), {
            secret: SECRET_SIGNING,
          })
        ).status,
      ).toBe(200);
      const forged = await postSigned(events, slashCommand(fake, "latest", "r3"), {
        secret: "not-the-secret",
      });
      expect(forged.status).toBe(401);
      const reply = await waitFor(() => fake?.responses.find((r) => r.id === "r1"), 10_000, "the reply");
      expect(reply.accepted).toBe(true);
      expect(JSON.stringify(reply.body)).toContain("APT40");
      await waitFor(() => fake?.responses.find((r) => r.id === "r2"), 10_000, "the refusal");
      expect(fake.responses.find((r) => r.id === "r3")).toBeUndefined();

      // The seed's alert (after a 500 and a 429), then a dropped article's alert.
      const posted = () => (fake?.callsTo("chat.postMessage") ?? []).filter((c) => c.answer?.ok === true);
      await waitFor(() => posted().length >= 1, 20_000, "the seed's alert");
      swap.cut.posts = 1; // and the next one meets a dropped connection
      writeFileSync(
        join(seeds, "dropped.txt"),
        "date 2024-07-10\n\nAPT40 hackers from China targeted New Zealand's parliament, officials said.\n",
      );
      await waitFor(() => posted().length >= 2, 20_000, "the dropped article's alert");
      expect(posted().every((c) => c.params.channel === CHANNEL)).toBe(true);
      const discordPosts = () =>
        discord?.find("POST", /\/channels\/\d+\/messages$/).filter((r) => r.status === 200) ?? [];
      await waitFor(() => discordPosts().length >= 2, 20_000, "both alerts on Discord");

      metrics = await (await fetch(`http://127.0.0.1:${ops.port as number}/metrics`)).text();
    } finally {
      bot.child.kill("SIGTERM");
    }
    expect(await bot.exited).toBe(0);

    // The run did what it should, through the token: so a clean output below means something.
    expect(swap.seen()).toBeGreaterThanOrEqual(6); // auth.test, users.info, at least 4 posts
    expect(swap.cut.done).toBe(1);
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual(expect.arrayContaining([500, 429]));
    const lines = bot.out.stderr.split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => l.includes('"level":20'))).toBe(true); // debug lines were written
    expect(metrics).toContain("# HELP");

    for (const marker of LEAKS) {
      const where = (text: string) => text.split("\n").filter((l) => l.includes(marker));
      expect(where(bot.out.stdout), `"${marker}" in stdout`).toEqual([]);
      expect(where(bot.out.stderr), `"${marker}" in stderr`).toEqual([]);
      expect(where(metrics), `"${marker}" in /metrics`).toEqual([]);
    }
  }, 60_000);
});
