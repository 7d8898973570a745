// The one written form of a channel reference: parse and format agree, and malformed references are refused.

import { describe, expect, it } from "vitest";
import { type ChannelRef, formatChannelRef, parseChannelRef } from "../../src/core/platform.js";

describe("channel references", () => {
  it.each<[string, ChannelRef]>([
    ["slack:T1/C2", { platform: "slack", workspace: "T1", channel: "C2" }],
    ["discord:G1/123", { platform: "discord", workspace: "G1", channel: "123" }],
    ["discord:dm/unknown", { platform: "discord", workspace: "dm", channel: "unknown" }],
    ["console:local", { platform: "console", workspace: "local", channel: "local" }],
    ["console:other", { platform: "console", workspace: "local", channel: "other" }],
  ])("reads %s and writes it back the same", (text, ref) => {
    expect(parseChannelRef(text)).toEqual(ref);
    expect(formatChannelRef(ref)).toBe(text);
  });

  it.each([
    "slack:T1",
    "slack:/C2",
    "slack:T1/",
    "slack:T1/C2/C3",
    "slack:T 1/C2",
    "slack:T1/C2\n",
    "C2",
    "",
    "teams:T1/C2",
    "SLACK:T1/C2",
    "console:",
    "console:a/b",
    "console:local/local",
    "irc:#x",
  ])("refuses %j", (text) => {
    expect(parseChannelRef(text)).toBeUndefined();
  });

  it("writes the console's one workspace as the bare channel, so the stored console:local stays as it was", () => {
    expect(formatChannelRef({ platform: "console", workspace: "anything", channel: "local" })).toBe(
      "console:local",
    );
  });
});
