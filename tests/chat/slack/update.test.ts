// Revised stories on Slack: chat.update edits the posted alert in place; a message that cannot be edited gets a
// short "updated" post instead, never nothing.

import { describe, expect, it } from "vitest";
import type { Outbound } from "../../../src/chat/types.js";
import { blockProblems, TEAM } from "./fake-slack.js";
import { CHANNEL, story, useSlack } from "./fixtures.js";

const slack = useSlack({ start: {} });
const ref = `slack:${TEAM}/${CHANNEL}`;

const revised = (messageId?: string): Outbound => ({
  kind: "update",
  alert: { story: story({ title: "APT40 revised headline" }), reason: "updated; subscribed to country:NZ" },
  ...(messageId ? { messageId } : {}),
});

describe("SlackAdapter.deliver of an update", () => {
  it("edits the posted alert in place with chat.update: same ts, new content", async () => {
    const { messageId } = await slack.adapter.deliver(ref, {
      kind: "alert",
      alert: { story: story(), reason: "r" },
    });
    const edited = await slack.adapter.deliver(ref, revised(messageId));
    expect(edited.messageId).toBe(messageId);
    const [call] = slack.fake.callsTo("chat.update");
    expect(call?.params).toMatchObject({ channel: CHANNEL, ts: messageId });
    expect(call?.answer).toMatchObject({ ok: true });
    expect(slack.fake.callsTo("chat.postMessage")).toHaveLength(1);
    const shown = slack.fake.messages.get(messageId);
    expect(shown?.text).toBe("Updated story (updated; subscribed to country:NZ): APT40 revised headline");
    expect(shown?.blocks[0]?.text?.text).toBe("APT40 revised headline");
    expect(blockProblems(shown?.blocks)).toBeNull();
  });

  it("posts a short update when there is no message to edit (the alert went out in a digest)", async () => {
    const { messageId } = await slack.adapter.deliver(ref, revised());
    expect(slack.fake.callsTo("chat.update")).toHaveLength(0);
    const shown = slack.fake.messages.get(messageId);
    expect(shown?.text).toBe("Updated story (updated; subscribed to country:NZ): APT40 revised headline");
    expect(JSON.stringify(shown?.blocks)).toContain("*Updated:* <https://example.org/apt40|APT40 revised");
    expect(JSON.stringify(shown?.blocks)).toContain("/cyber story ab12cd");
    expect(blockProblems(shown?.blocks)).toBeNull();
  });

  it("posts the update as a new message when the alert was deleted", async () => {
    const { messageId } = await slack.adapter.deliver(ref, revised("1699999999.000001"));
    expect(slack.fake.callsTo("chat.update").map((c) => c.answer?.error)).toEqual(["message_not_found"]);
    expect(slack.fake.messages.get(messageId)?.text).toContain("APT40 revised headline");
  });

  it("maps a refused token during an edit to auth, like a post", async () => {
    const { messageId } = await slack.adapter.deliver(ref, {
      kind: "alert",
      alert: { story: story(), reason: "r" },
    });
    slack.fake.revoked = "token_revoked";
    const err = await slack.adapter.deliver(ref, revised(messageId)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "auth", code: "token_revoked" });
  });
});
