// /cyber over the HTTP receiver of the real Bolt client: signatures, ack, visibility and the share button.

import { describe, expect, it } from "vitest";
import { TEAM, type WireBlock, waitFor } from "./fake-slack.js";
import {
  ASKER,
  CHANNEL,
  postSigned,
  type SignOptions,
  scriptedHandler,
  shareClick,
  slashCommand,
  startAdapter,
  useSlack,
} from "./fixtures.js";

const slack = useSlack();

const response = (id: string) =>
  waitFor(() => slack.fake.responses.find((r) => r.id === id), 2000, `response ${id}`);
const blockTypes = (body: Record<string, unknown>) =>
  (body.blocks as Array<{ type: string }>).map((b) => b.type);

describe("Slack adapter over HTTP", () => {
  it("answers a correctly signed /cyber privately, with a Share in channel button", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http");
    expect(slack.running.adapter.isConnected()).toBe(true);

    const res = await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "apt40"));
    expect(res.status).toBe(200);

    const { body, accepted } = await response("r1");
    expect(accepted).toBe(true);
    expect(body.response_type).toBe("ephemeral");
    expect(body.unfurl_links).toBe(false);
    expect(body.unfurl_media).toBe(false);
    expect(body.text).toContain("APT40: 1 story");
    expect(blockTypes(body)).toEqual(["header", "section", "section", "context", "actions"]);
    const actions = (body.blocks as WireBlock[]).at(-1);
    expect(actions?.elements?.[0]).toMatchObject({ action_id: "cyberbrief_share", value: "apt40" });

    expect(script.commands).toHaveLength(1);
    expect(script.commands[0]).toMatchObject({
      platform: "slack",
      workspace: TEAM,
      channel: CHANNEL,
      channelRef: `slack:${TEAM}/${CHANNEL}`,
      user: ASKER,
      userName: "asker",
      text: "apt40",
    });
  });

  it("acknowledges at once and answers later through response_url", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http");
    const res = await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "slow"));
    // The HTTP answer (the ack) came back while the command layer is still working.
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(script.commands.map((c) => c.text)).toEqual(["slow"]);
    expect(slack.fake.responses).toHaveLength(0);
    script.releaseSlow();
    const { body } = await response("r1");
    expect(body.text).toContain("slow answer");
  });

  const forged: Array<[string, SignOptions]> = [
    ["a wrong signature", { secret: "not-the-secret" }],
    ["a stale timestamp", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ["a body changed after signing", { tamper: (body) => body.replace("apt40", "subscribe%20everything") }],
  ];
  it.each(forged)("rejects %s with 401 and runs nothing", async (_name, sign) => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http");
    const res = await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "apt40"), sign);
    expect(res.status).toBe(401);
    // A correctly signed request afterwards is answered, so nothing was merely slow.
    await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "apt40", "after"));
    await response("after");
    expect(script.commands.map((c) => c.text)).toEqual(["apt40"]);
    expect(slack.fake.responses.map((r) => r.id)).toEqual(["after"]);
  });

  it("posts lookups in the channel when replyVisibility is public, but keeps help and errors private", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http", { replyVisibility: "public" });
    await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "apt40", "lookup"));
    await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "help", "help"));
    await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "broken", "broken"));

    const lookup = await response("lookup");
    expect(lookup.body.response_type).toBe("in_channel");
    expect(blockTypes(lookup.body)).not.toContain("actions");
    const help = await response("help");
    expect(help.body.response_type).toBe("ephemeral");
    expect(blockTypes(help.body)).not.toContain("actions");
    const broken = await response("broken");
    expect(broken.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(broken.body.blocks)).toMatch(/Error id: `[0-9a-f]{8}`/);
  });

  it("gives no Share button to replies that are not lookups", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http", { permissionPolicy: "everyone" });
    await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "subscribe country:nz", "sub"));
    await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "apt99", "empty"));
    for (const id of ["sub", "empty"]) {
      const { body } = await response(id);
      expect(body.response_type).toBe("ephemeral");
      expect(blockTypes(body)).not.toContain("actions");
    }
  });

  it("Share in channel re-runs the command and posts the same reply publicly, then removes the private copy", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http");
    const res = await postSigned(slack.running.eventsUrl, {
      payload: JSON.stringify(shareClick(slack.fake, "apt40")),
    });
    expect(res.status).toBe(200);
    await waitFor(() => slack.fake.responses.length === 2, 2000, "public post and delete");

    const [shared, removed] = slack.fake.responses;
    expect(shared?.accepted).toBe(true);
    expect(shared?.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(JSON.stringify(shared?.body.blocks)).toContain("Shared by <@U0CLICK>");
    expect(blockTypes(shared?.body ?? {})).not.toContain("actions");
    expect(removed?.body).toEqual({ delete_original: true });
    expect(script.commands[0]).toMatchObject({ text: "apt40", user: "U0CLICK", channel: CHANNEL });
  });

  it("keeps a shared command private when the re-run is not a lookup answer", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http");
    await postSigned(slack.running.eventsUrl, { payload: JSON.stringify(shareClick(slack.fake, "broken")) });
    const { body } = await response("share1");
    // The first (and only) post is the private error: nothing went to the channel before it.
    expect(body).toMatchObject({ response_type: "ephemeral", replace_original: false });
  });

  it("hands the command layer the text as typed, not Slack's escaped form", async () => {
    const script = scriptedHandler();
    slack.running = await startAdapter(slack.fake, script.handler, "http");
    await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "  AT&amp;T &lt;b&gt;  "));
    await response("r1");
    expect(script.commands[0]?.text).toBe("AT&T <b>");
  });
});
