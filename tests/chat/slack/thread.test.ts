// Later sources on Slack: a reply in the alert's thread (thread_ts, not broadcast), then the alert edited to show
// "+N sources"; a failed edit is logged and the reply still counts as delivered.

import { describe, expect, it } from "vitest";
import type { SourceReply } from "../../../src/chat/types.js";
import { memoryLogger } from "../../helpers/memory-log.js";
import { blockProblems, TEAM } from "./fake-slack.js";
import { CHANNEL, story, useSlack } from "./fixtures.js";

const { log, lines } = memoryLogger();
const slack = useSlack({ start: { log } });
const ref = `slack:${TEAM}/${CHANNEL}`;
const REASON = "subscribed to country:NZ";

const wire = story({
  id: "cd34ef",
  title: "Copy: APT40 targets government networks",
  source: "Wire <Service>",
  url: "https://wire.example/apt40",
  date: "2024-07-10",
});

function sourceReply(parentTs: string, o: Partial<SourceReply> = {}): SourceReply {
  return {
    kind: "source",
    alert: { story: wire, reason: REASON },
    added: ["APT41", "Taiwan (blamed)"],
    others: [],
    total: 1,
    parent: { messageId: parentTs, alert: { story: story({ sources: 1 }), reason: REASON } },
    ...o,
  };
}

async function alert(): Promise<string> {
  return (await slack.adapter.deliver(ref, { kind: "alert", alert: { story: story(), reason: REASON } }))
    .messageId;
}

describe("SlackAdapter.deliver of a later source", () => {
  it("replies in the alert's thread with source, date, title and what it adds; the alert shows '+1 source'", async () => {
    const ts = await alert();
    const { messageId } = await slack.adapter.deliver(ref, sourceReply(ts));
    const [post] = slack.fake.callsTo("chat.postMessage").slice(1);
    expect(post?.params).toMatchObject({ channel: CHANNEL, thread_ts: ts, reply_broadcast: "false" });
    expect(slack.fake.replies(ts).map((r) => r.ts)).toEqual([messageId]);
    const reply = slack.fake.messages.get(messageId);
    expect(reply?.text).toBe("Also reported: Wire &lt;Service&gt;: Copy: APT40 targets government networks");
    const body = JSON.stringify(reply?.blocks);
    expect(body).toContain(
      "Also reported by <https://wire.example/apt40|Wire &lt;Service&gt;>, 2024-07-10: *Copy: APT40 targets government networks* · `cd34ef`",
    );
    expect(body).toContain("*Adds: APT41, Taiwan (blamed)*");
    expect(blockProblems(reply?.blocks)).toBeNull();
    // The alert itself, edited in place to count the event's other sources.
    expect(slack.fake.callsTo("chat.update").map((c) => c.params.ts)).toEqual([ts]);
    const edited = JSON.stringify(slack.fake.messages.get(ts)?.blocks);
    expect(edited).toContain("Source: <https://example.org/apt40|advisory-apt40.md> · *+1 source*");
  });

  it("lists a burst of sources and counts the rest, and the alert counts them all", async () => {
    const ts = await alert();
    const others = [2, 3].map((n) => story({ id: `c${n}`, title: `Copy ${n}`, source: `Outlet ${n}` }));
    const parent = { messageId: ts, alert: { story: story({ sources: 14 }), reason: REASON } };
    const { messageId } = await slack.adapter.deliver(ref, sourceReply(ts, { others, total: 14, parent }));
    const body = JSON.stringify(slack.fake.messages.get(messageId)?.blocks);
    expect(body).toContain("Outlet 2");
    expect(body).toContain("Outlet 3");
    expect(body).toContain("…and 11 more sources");
    expect(slack.fake.messages.get(messageId)?.text).toMatch(/^Also reported by 14 sources: /);
    expect(JSON.stringify(slack.fake.messages.get(ts)?.blocks)).toContain("*+14 sources*");
  });

  it("still delivers the reply when the alert cannot be edited (deleted), logging why", async () => {
    const ts = await alert();
    slack.fake.fail("chat.update", { kind: "error", error: "message_not_found" });
    const { messageId } = await slack.adapter.deliver(ref, sourceReply(ts));
    expect(slack.fake.replies(ts).map((r) => r.ts)).toEqual([messageId]);
    expect(lines.some((l) => l.msg === "slack: could not edit the alert to count its sources")).toBe(true);
  });

  it("fails the delivery (for a retry) when the reply itself is refused", async () => {
    const ts = await alert();
    // The client's own retry gets one more 503.
    slack.fake.fail("chat.postMessage", { kind: "http", status: 503 }, { kind: "http", status: 503 });
    const err = await slack.adapter.deliver(ref, sourceReply(ts)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "transient" });
    expect(slack.fake.callsTo("chat.update")).toHaveLength(0);
  });

  it("stays within Block Kit's limits for a full burst of long titles and sources", async () => {
    const ts = await alert();
    const long = (n: number) =>
      story({ id: `id${n}`, title: "T".repeat(400), source: `https://x.example/${"s".repeat(500)}` });
    const others = Array.from({ length: 10 }, (_, n) => long(n));
    const message = sourceReply(ts, { alert: { story: long(99), reason: REASON }, others, total: 2000 });
    const { messageId } = await slack.adapter.deliver(ref, message);
    const blocks = slack.fake.messages.get(messageId)?.blocks;
    expect(blockProblems(blocks)).toBeNull();
    expect(blocks?.[0]?.text?.text).toMatch(/…and 19\d\d more sources_\n\*Adds: APT41, Taiwan \(blamed\)\*$/);
  });
});
