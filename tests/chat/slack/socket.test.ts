// /cyber through Socket Mode: the real Bolt SocketModeReceiver against the slack.fake's WebSocket on 127.0.0.1.

import { describe, expect, it } from "vitest";
import { APP_TOKEN, TEAM, type WireBlock, waitFor } from "./fake-slack.js";
import { CHANNEL, scriptedHandler, shareClick, slashCommand, startAdapter, useSlack } from "./fixtures.js";

const slack = useSlack();

const response = (id: string) =>
  waitFor(() => slack.fake.responses.find((r) => r.id === id), 2000, `response ${id}`);
const ack = (envelopeId: string) =>
  waitFor(() => slack.fake.acks.find((a) => a.envelope_id === envelopeId), 2000, `ack of ${envelopeId}`);

describe("Slack adapter in Socket Mode", () => {
  it("connects with the app token through the configured API base, and reports the connection", async () => {
    slack.running = await startAdapter(slack.fake, scriptedHandler().handler, "socket");
    expect(slack.running.adapter.mode).toBe("socket");
    expect(slack.running.adapter.isConnected()).toBe(true);
    expect(slack.running.adapter.port).toBeUndefined();
    expect(slack.fake.callsTo("apps.connections.open").map((c) => c.token)).toEqual([APP_TOKEN]);
    expect(slack.fake.callsTo("auth.test")).toHaveLength(1);
    expect(slack.fake.openSockets).toBe(1);
  });

  it("acknowledges a slash command envelope, then answers privately with a Share button", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "socket");
    const envelope = slack.fake.sendEnvelope("slash_commands", slashCommand(slack.fake, "apt40"));

    expect(await ack(envelope)).toEqual({ envelope_id: envelope, payload: {} });
    const { body, accepted } = await response("r1");
    expect(accepted).toBe(true);
    expect(body.response_type).toBe("ephemeral");
    const blocks = body.blocks as WireBlock[];
    expect(blocks[0]?.text?.text).toBe("APT40: 1 story");
    expect(blocks.at(-1)?.elements?.[0]).toMatchObject({ action_id: "cyberbrief_share", value: "apt40" });
    expect(script.commands[0]).toMatchObject({ channelRef: `slack:${TEAM}/${CHANNEL}`, text: "apt40" });
  });

  it("acknowledges before the command layer has answered", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "socket");
    const envelope = slack.fake.sendEnvelope("slash_commands", slashCommand(slack.fake, "slow"));
    await ack(envelope);
    expect(slack.fake.responses).toHaveLength(0);
    script.releaseSlow();
    expect((await response("r1")).body.text).toContain("slow answer");
  });

  it("shares a reply in the channel from an interactive envelope", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "socket");
    const envelope = slack.fake.sendEnvelope("interactive", shareClick(slack.fake, "apt40"));
    await ack(envelope);
    await waitFor(() => slack.fake.responses.length === 2, 2000, "public post and delete");
    expect(slack.fake.responses[0]?.body).toMatchObject({
      response_type: "in_channel",
      replace_original: false,
    });
    expect(slack.fake.responses[1]?.body).toEqual({ delete_original: true });
  });

  it("closes the socket on stop", async () => {
    slack.running = await startAdapter(slack.fake, scriptedHandler().handler, "socket");
    await slack.running.adapter.stop();
    expect(slack.running.adapter.isConnected()).toBe(false);
    await waitFor(() => slack.fake.openSockets === 0, 2000, "socket closed");
  });
});
