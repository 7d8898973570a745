// The one visibility rule (src/commands/replies.ts): which replies only the asker sees, whatever the setting.

import { describe, expect, it } from "vitest";
import type { Reply, ReplyKind } from "../../src/chat/types.js";
import { isPrivate, reply } from "../../src/commands/replies.js";

const KINDS: ReplyKind[] = ["answer", "help", "usage", "empty", "refused", "error", "notice"];
const FORCED = new Set<ReplyKind>(["help", "usage", "error", "refused"]);

describe("isPrivate", () => {
  it.each(KINDS)("%s: private exactly when it is help, usage, an error or a refusal", (kind) => {
    expect(reply(kind, "h").private).toBe(FORCED.has(kind));
    expect(isPrivate({ kind, private: false })).toBe(FORCED.has(kind));
  });

  it("keeps a reply flagged private private, whatever its kind", () => {
    for (const kind of KINDS) {
      expect(reply(kind, "h", { private: true }).private).toBe(true);
      expect(isPrivate({ kind, private: true })).toBe(true);
    }
  });

  it("decides for a Reply built without the builder too (an adapter never re-decides)", () => {
    const literal: Reply = { kind: "help", headline: "h", text: [], fields: [], stories: [], private: false };
    expect(isPrivate(literal)).toBe(true);
  });
});
