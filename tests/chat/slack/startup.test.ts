// Start-up: incomplete or wrong Slack settings fail at once, with one message naming what to fix.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../../src/chat/slack/adapter.js";
import { isSlackConfigured, slackSettingsProblems } from "../../../src/chat/slack/settings.js";
import { loadConfig } from "../../../src/config/load.js";
import { ConfigError, CyberbriefError } from "../../../src/core/errors.js";
import { silentLogger } from "../../../src/log/logger.js";
import { APP_TOKEN, BOT_TOKEN, FakeSlack } from "./fake-slack.js";
import { FAST_RETRY, SIGNING_SECRET, scriptedHandler, slackConfig } from "./fixtures.js";

describe("Slack settings", () => {
  it.each([
    [
      { botToken: BOT_TOKEN },
      "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) is missing",
    ],
    [{ appToken: APP_TOKEN }, "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing"],
    [{ signingSecret: SIGNING_SECRET }, "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is missing"],
    [
      { appToken: APP_TOKEN, signingSecret: "s" },
      "SLACK_APP_TOKEN and SLACK_SIGNING_SECRET are set but SLACK_BOT_TOKEN",
    ],
    [
      { botToken: BOT_TOKEN, appToken: BOT_TOKEN },
      "SLACK_APP_TOKEN must be an app-level token starting with xapp-",
    ],
    [{ botToken: APP_TOKEN, appToken: APP_TOKEN }, "SLACK_BOT_TOKEN holds an app-level token (xapp-)"],
  ])("names the missing or wrong variable for %j", (tokens, message) => {
    const config = slackConfig(tokens);
    expect(isSlackConfigured(config)).toBe(true);
    expect(slackSettingsProblems(config).join("\n")).toContain(message);
    expect(() => new SlackAdapter({ config, log: silentLogger() })).toThrow(ConfigError);
    expect(() => new SlackAdapter({ config, log: silentLogger() })).toThrow(message);
  });

  it("accepts HTTP mode, Socket Mode, and both (Socket Mode wins)", () => {
    const http = slackConfig({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    const socket = slackConfig({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const both = slackConfig({ botToken: BOT_TOKEN, appToken: APP_TOKEN, signingSecret: SIGNING_SECRET });
    for (const config of [http, socket, both]) expect(slackSettingsProblems(config)).toEqual([]);
    expect(new SlackAdapter({ config: http, log: silentLogger() }).mode).toBe("http");
    expect(new SlackAdapter({ config: both, log: silentLogger() }).mode).toBe("socket");
    expect(isSlackConfigured(slackConfig())).toBe(false);
  });

  it("fails from the environment variables a user would set, before any network call", () => {
    const config = loadConfig({ env: { SLACK_BOT_TOKEN: BOT_TOKEN }, cwd: "/nonexistent-cwd-for-dotenv" });
    expect(() => new SlackAdapter({ config: config.slack, log: silentLogger() })).toThrow(
      /SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET \(HTTP mode\) or SLACK_APP_TOKEN \(Socket Mode\) is missing/,
    );
  });
});

describe("Slack start-up against the fake", () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await FakeSlack.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  const adapter = (tokens: Parameters<typeof slackConfig>[0]) =>
    new SlackAdapter({
      config: slackConfig({ apiUrl: fake.apiUrl, ...tokens }),
      log: silentLogger(),
      host: "127.0.0.1",
      retryConfig: FAST_RETRY,
      timeoutMs: 500,
      socket: { retryConfig: FAST_RETRY, clientPingTimeoutMs: 200 },
    });

  it("reports a bot token Slack refuses, by name", async () => {
    const slack = adapter({ botToken: "xoxb-wrong", signingSecret: SIGNING_SECRET });
    const err = await slack.start(scriptedHandler().handler).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CyberbriefError);
    expect(err).toMatchObject({ code: "slack/auth" });
    expect((err as Error).message).toBe(
      "Slack refused SLACK_BOT_TOKEN (invalid_auth); check the token of the installed app",
    );
    expect(slack.isConnected()).toBe(false);
    await slack.stop();
  });

  it("reports an app token Slack refuses, by name", async () => {
    const slack = adapter({ botToken: BOT_TOKEN, appToken: "xapp-wrong" });
    const err = await slack.start(scriptedHandler().handler).catch((e: unknown) => e);
    expect((err as Error).message).toContain("Slack refused SLACK_APP_TOKEN (invalid_auth)");
    expect(fake.openSockets).toBe(0);
    await slack.stop();
  });

  it("names SLACK_PORT when the HTTP port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    const slack = new SlackAdapter({
      config: slackConfig({ apiUrl: fake.apiUrl, botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, port }),
      log: silentLogger(),
      host: "127.0.0.1",
      retryConfig: FAST_RETRY,
    });
    const err = await slack.start(scriptedHandler().handler).catch((e: unknown) => e);
    await new Promise((resolve) => taken.close(resolve));
    expect(err).toMatchObject({ code: "slack/listen" });
    expect((err as Error).message).toContain(`on port ${port} (SLACK_PORT)`);
    expect(slack.isConnected()).toBe(false);
    await slack.stop();
  });
});
