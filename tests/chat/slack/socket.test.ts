// /cyber through Socket Mode: the real Bolt SocketModeReceiver against the fake's WebSocket on 127.0.0.1.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APP_TOKEN, FakeSlack, TEAM, type WireBlock, waitFor } from "./fake-slack.js";
import {
  CHANNEL,
  type Running,
  scriptedHandler,
  shareClick,
  slashCommand,
  startAdapter,
} from "./fixtures.js";

let fake: FakeSlack;
let running: Running | undefined;

beforeEach(async () => {
  fake = await FakeSlack.start();
});

afterEach(async () => {
  const errors = running?.errors ?? [];
  await running?.adapter.stop();
  running = undefined;
  await fake.close();
  expect(errors).toEqual([]);
});

const response = (id: string) =>
  waitFor(() => fake.responses.find((r) => r.id === id), 2000, `response ${id}`);
const ack = (envelopeId: string) =>
  waitFor(() => fake.acks.find((a) => a.envelope_id === envelopeId), 2000, `ack of ${envelopeId}`);

describe("Slack adapter in Socket Mode", () => {
  it("connects with the app token through the configured API base, and reports the connection", async () => {
    running = await startAdapter(fake, scriptedHandler().handler, "socket");
    expect(running.adapter.mode).toBe("socket");
    expect(running.adapter.isConnected()).toBe(true);
    expect(running.adapter.port).toBeUndefined();
    expect(fake.callsTo("apps.connections.open").map((c) => c.token)).toEqual([APP_TOKEN]);
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    expect(fake.openSockets).toBe(1);
  });

  it("acknowledges a slash command envelope, then answers privately with a Share button", async () => {
    const script = scriptedHandler();
    running = await startAdapter(fake, script.handler, "socket");
    const envelope = fake.sendEnvelope("slash_commands", slashCommand(fake, "apt40"));

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
    running = await startAdapter(fake, script.handler, "socket");
    const envelope = fake.sendEnvelope("slash_commands", slashCommand(fake, "slow"));
    await ack(envelope);
    expect(fake.responses).toHaveLength(0);
    script.releaseSlow();
    expect((await response("r1")).body.text).toContain("slow answer");
  });

  it("shares a reply in the channel from an interactive envelope", async () => {
    const script = scriptedHandler();
    running = await startAdapter(fake, script.handler, "socket");
    const envelope = fake.sendEnvelope("interactive", shareClick(fake, "apt40"));
    await ack(envelope);
    await waitFor(() => fake.responses.length === 2, 2000, "public post and delete");
    expect(fake.responses[0]?.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(fake.responses[1]?.body).toEqual({ delete_original: true });
  });

  it("closes the socket on stop", async () => {
    running = await startAdapter(fake, scriptedHandler().handler, "socket");
    await running.adapter.stop();
    expect(running.adapter.isConnected()).toBe(false);
    await waitFor(() => fake.openSockets === 0, 2000, "socket closed");
  });
});
