// An alert with sector, malware and CVE tags, delivered through the real Bolt client to the fake Slack.

import { describe, expect, it } from "vitest";
import type { Outbound } from "../../../src/chat/types.js";
import { blockProblems, TEAM, type WireBlock } from "./fake-slack.js";
import { CHANNEL, story, useSlack } from "./fixtures.js";

const slack = useSlack({ start: { timeoutMs: 150 } });

describe("a tagged alert on Slack", () => {
  it("shows its sectors, malware and CVEs, escaped, in blocks Slack accepts", async () => {
    const card = story({
      sectors: ["healthcare", "research"],
      malware: ["PlugX", "<!channel> @everyone", ...Array.from({ length: 500 }, (_, i) => `Family ${i}`)],
      cves: ["CVE-2024-3400"],
    });
    const message: Outbound = {
      kind: "alert",
      alert: { story: card, reason: "subscribed to sector:healthcare" },
    };
    await slack.adapter.deliver(`slack:${TEAM}/${CHANNEL}`, message);
    const call = slack.fake.callsTo("chat.postMessage").at(-1);
    expect(call?.answer).toMatchObject({ ok: true });
    const blocks = JSON.parse(call?.params.blocks ?? "[]") as WireBlock[];
    expect(blockProblems(blocks)).toBeNull();
    const text = JSON.stringify(blocks);
    expect(text).toContain("*Sectors:* healthcare, research");
    expect(text).toMatch(/\*Malware:\* PlugX, &lt;!channel&gt; @\u2060everyone, Family 0, .*\+\d+ more/);
    expect(text).toContain("*CVEs:* CVE-2024-3400");
    expect(text).not.toMatch(/<!channel>|@everyone/);
  });
});
