// `cyberbrief run` as a child process against a fake Slack as slow as a real one: the setup the kill tests share.

import { afterEach } from "vitest";
import { BOT_TOKEN, FakeSlack, TEAM } from "../chat/slack/fake-slack.js";
import { subscribeAll, tempWorkspace, type Workspace } from "./workspace.js";

export interface SlackRun extends Workspace {
  fake: FakeSlack;
  /** The bot's environment: Slack over HTTP pointed at the fake, no folder watcher. */
  env: Record<string, string>;
  /** `run --seeds … --db …` */
  args: string[];
}

const fakes: FakeSlack[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/**
 * A workspace whose `channels` (Slack channel ids in the fake's team) are subscribed to everything, and a fake
 * Slack answering each call after 20 ms, closed after the test. `write` fills the seeds folder (else the seed
 * story); `env` adds to or overrides the bot's environment.
 */
export async function slackRun(
  channels: string[],
  opts: { write?: (seeds: string) => void; env?: Record<string, string> } = {},
): Promise<SlackRun> {
  const ws = tempWorkspace(opts.write);
  await subscribeAll(
    ws.db,
    channels.map((c) => `slack:${TEAM}/${c}`),
  );
  const fake = await FakeSlack.start();
  fakes.push(fake);
  fake.latencyMs = 20;
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: "crash-test-secret",
    SLACK_PORT: "0",
    SLACK_API_URL: fake.apiUrl,
    CYBERBRIEF_WATCH: "false",
    LOG_LEVEL: "warn",
    ...opts.env,
  };
  return { ...ws, fake, env, args: ["run", "--seeds", ws.seeds, "--db", ws.db] };
}
