// /cyber why for a later source of an event: the channel's thread reply and its state (or why it was not posted),
// never "filtered" or "not sent" as if the channel had nothing of the event.

import { describe, expect, it } from "vitest";
import { channelLine } from "../../src/commands/why.js";
import type { StoryDelivery } from "../../src/store/outbox.js";
import type { StoryReasons } from "../../src/store/types.js";

const at = Date.parse("2026-03-01T10:00:00Z");
const row = (o: Partial<StoryDelivery>): StoryDelivery => ({
  kind: "source",
  status: "sent",
  tags: "country:NZ",
  attempts: 1,
  createdAt: at,
  sentAt: at,
  nextAttemptAt: at,
  lastError: null,
  ...o,
});
// Only read when the channel has no row of the story.
const reasons = {} as StoryReasons;

describe("/cyber why for a later source of an event", () => {
  it("names the thread reply and when it was delivered", () => {
    expect(channelLine(reasons, [row({})], [])).toBe(
      "later source of an event alerted here (country:NZ): thread reply delivered 2026-03-01 10:00 UTC",
    );
  });

  it("says why the reply was not posted", () => {
    const cancelled = row({
      status: "cancelled",
      sentAt: null,
      lastError: "not posted: the event went out in a flood summary, which has no thread to reply in",
    });
    expect(channelLine(reasons, [cancelled], [])).toBe(
      "later source of an event alerted here (country:NZ): thread reply cancelled: not posted: the event went out in a flood summary, which has no thread to reply in",
    );
  });
});
