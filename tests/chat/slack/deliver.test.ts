// deliver(): alerts, batches and notices as chat.postMessage within Slack's limits, and Slack's errors mapped.

import { describe, expect, it } from "vitest";
import { type Alert, DeliveryError, type Outbound } from "../../../src/chat/types.js";
import { blockProblems, FakeSlack, TEAM, type WireBlock } from "./fake-slack.js";
import { CHANNEL, reply, story, useSlack } from "./fixtures.js";

const slack = useSlack({ start: { timeoutMs: 150 } });
const ref = `slack:${TEAM}/${CHANNEL}`;

const alert = (overrides = {}): Outbound => ({
  kind: "alert",
  alert: { story: story(overrides), reason: "subscribed to country:NZ" },
});

function posted(): { params: Record<string, string>; blocks: WireBlock[] } {
  const call = slack.fake.callsTo("chat.postMessage").at(-1);
  if (!call) throw new Error("nothing was posted");
  return { params: call.params, blocks: JSON.parse(call.params.blocks ?? "[]") as WireBlock[] };
}

async function failure(message: Outbound = alert(), channelRef = ref): Promise<DeliveryError> {
  const err = await slack.adapter.deliver(channelRef, message).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe("SlackAdapter.deliver", () => {
  it("posts an alert to the channel as Block Kit with a fallback, unfurling off, and returns the ts", async () => {
    const delivered = await slack.adapter.deliver(ref, alert());
    const { params, blocks } = posted();
    expect(delivered.messageId).toMatch(/^1700000000\.\d{6}$/);
    expect(slack.fake.callsTo("chat.postMessage")[0]?.answer).toMatchObject({
      ok: true,
      ts: delivered.messageId,
    });
    expect(params).toMatchObject({ channel: CHANNEL, unfurl_links: "false", unfurl_media: "false" });
    expect(params.text).toBe("New story (subscribed to country:NZ): APT40 targets government networks");
    expect(blockProblems(blocks)).toBeNull();
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "context", "context"]);
    const text = JSON.stringify(blocks);
    expect(text).toContain("APT40 (as “Kryptonite Panda”)");
    expect(text).toContain("🇳🇿 New Zealand (mentioned)");
    expect(text).toContain("Source: <https://example.org/apt40|advisory-apt40.md>");
    expect(text).toContain("Why: subscribed to country:NZ");
  });

  it("truncates a huge article to fit, with a pointer to the full story, instead of being rejected", async () => {
    const huge = alert({
      title: "T".repeat(1000),
      summary: "word & <b> ".repeat(20_000),
      actors: Array.from({ length: 400 }, (_, i) => ({
        id: `A${i}`,
        name: `Actor ${i}`,
        alias: `Alias ${i}`,
      })),
      countries: Array.from({ length: 250 }, (_, i) => ({
        code: `C${i}`,
        name: `Country ${i}`,
        roles: ["mentioned" as const],
        flag: "🏳️",
      })),
      note: "n".repeat(5000),
      source: "s".repeat(5000),
    });
    await slack.adapter.deliver(ref, huge);
    const { blocks } = posted();
    expect(slack.fake.callsTo("chat.postMessage")[0]?.answer).toMatchObject({ ok: true });
    expect(blockProblems(blocks)).toBeNull();
    expect(blocks[0]?.text?.text?.endsWith("…")).toBe(true);
    expect(blocks[1]?.text?.text).toMatch(/…\nfull story: \/cyber story ab12cd$/);
    expect(blocks[1]?.text?.text).not.toMatch(/&[a-z]{0,3}…/);
  });

  it("fits a batch of many alerts and says how many were left out", async () => {
    const alerts: Alert[] = Array.from({ length: 60 }, (_, i) => ({
      story: story({ id: `id${i}`, title: `Story ${i}`, summary: "x ".repeat(600) }),
      reason: "subscribed to actor:APT40",
    }));
    await slack.adapter.deliver(ref, { kind: "batch", alerts, reason: "subscribed to actor:APT40" });
    const { params, blocks } = posted();
    expect(blockProblems(blocks)).toBeNull();
    expect(params.text).toContain("60 new stories");
    expect(JSON.stringify(blocks.at(-1))).toMatch(
      /and \d+ more stories not shown\. See them with \/cyber latest/,
    );
  });

  it("posts a notice as a rendered reply", async () => {
    await slack.adapter.deliver(ref, {
      kind: "notice",
      reply: reply({ kind: "notice", headline: "Alerts resumed" }),
    });
    expect(posted().blocks[0]?.text?.text).toBe("Alerts resumed");
  });

  it("maps a 429 with Retry-After to a transient error with retryAfterMs, leaving the retry to the dispatcher", async () => {
    slack.fake.fail("chat.postMessage", { kind: "ratelimit", retryAfter: 7 });
    const err = await failure();
    expect(err).toMatchObject({ kind: "transient", code: "ratelimited", retryAfterMs: 7000 });
    expect(slack.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it.each(["channel_not_found", "is_archived", "not_in_channel"])(
    "maps %s to a permanent error",
    async (code) => {
      slack.fake.fail("chat.postMessage", { kind: "error", error: code });
      expect(await failure()).toMatchObject({ kind: "permanent", code });
    },
  );

  it.each(["account_inactive", "invalid_auth", "token_revoked", "token_expired", "not_authed"])(
    "maps %s to an auth error about the token, not the channel",
    async (code) => {
      slack.fake.fail("chat.postMessage", { kind: "error", error: code });
      const err = await failure();
      expect(err).toMatchObject({ kind: "auth", code });
      expect(err.message).toBe(`Slack refused SLACK_BOT_TOKEN (${code})`);
    },
  );

  it("maps an unknown ok:false code to a transient error, so one odd answer does not disable a channel", async () => {
    slack.fake.fail("chat.postMessage", { kind: "error", error: "something_new" });
    expect(await failure()).toMatchObject({ kind: "transient", code: "something_new" });
  });

  it("maps 5xx to a transient error after the client's one quick retry", async () => {
    slack.fake.fail("chat.postMessage", { kind: "http", status: 503 }, { kind: "http", status: 503 });
    expect(await failure()).toMatchObject({ kind: "transient", code: "http_503" });
    expect(slack.fake.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("maps a hung request to a transient timeout", async () => {
    slack.fake.fail("chat.postMessage", { kind: "hang" }, { kind: "hang" });
    expect(await failure()).toMatchObject({ kind: "transient", code: "timeout" });
  });

  it("maps an unreachable Slack to a transient network error", async () => {
    await slack.fake.close();
    expect(await failure()).toMatchObject({ kind: "transient", code: "network" });
    slack.fake = await FakeSlack.start();
  });

  it.each(["discord:G1/C2", "slack:T1", "slack:/C2", "C2"])(
    "refuses the channel reference %s permanently",
    async (bad) => {
      expect(await failure(alert(), bad)).toMatchObject({ kind: "permanent", code: "bad_channel_ref" });
      expect(slack.fake.callsTo("chat.postMessage")).toHaveLength(0);
    },
  );
});
