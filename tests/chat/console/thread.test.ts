// Later sources on the console: what was printed cannot be threaded or edited, so each later source is an
// indented "+ also reported by" line; an alert printed after sources merged names their count.

import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/chat/console/adapter.js";
import { renderAlert, renderSource } from "../../../src/chat/console/render.js";
import type { SourceReply } from "../../../src/chat/types.js";
import { silentLogger } from "../../../src/log/logger.js";
import { APT40, alertOf, story } from "../../helpers/cards.js";

const copy = story({
  id: "cd34ef",
  title: "Copy: APT40 targets networks",
  source: "Wire",
  date: "2024-07-10",
});
const reply = (o: Partial<SourceReply> = {}): SourceReply => ({
  kind: "source",
  alert: alertOf(copy),
  added: ["APT41", "Taiwan (blamed)"],
  others: [],
  total: 1,
  parent: { messageId: "console-1", alert: alertOf({ ...APT40, sources: 1 }) },
  ...o,
});

describe("a later source on the console", () => {
  it("is an indented '+ also reported by <source>, <date>: <title>' line saying what it adds", () => {
    const text = renderSource(reply());
    expect(text.startsWith("    + also reported by Wire, 2024-07-10: Copy: APT40")).toBe(true);
    // Over 100 columns it wraps: compare with the line breaks and indents folded.
    expect(text.replace(/\s+/g, " ")).toBe(
      " + also reported by Wire, 2024-07-10: Copy: APT40 targets networks [cd34ef] (adds: APT41, Taiwan (blamed)) ",
    );
  });

  it("lists a burst line by line (estimated dates marked ~), then counts the rest", () => {
    const other = story({ id: "ef56", title: "Another copy", source: "Outlet", dateEstimated: true });
    const text = renderSource(reply({ added: [], others: [other], total: 5 }));
    expect(text.split("\n")).toEqual([
      "    + also reported by Wire, 2024-07-10: Copy: APT40 targets networks [cd34ef]",
      "    + also reported by Outlet, 2024-07-09~: Another copy [ef56]",
      "    + …and 3 more sources",
      "",
    ]);
  });

  it("wraps a long line under its text, within the width", () => {
    const long = renderSource(reply({ alert: alertOf({ ...copy, title: "word ".repeat(30).trim() }) }), 60);
    const lines = long.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith("      "))).toBe(true);
  });

  it("is printed by the adapter as it is rendered; an alert with merged sources says '+N sources'", async () => {
    const output = new PassThrough();
    let printed = "";
    output.on("data", (c) => {
      printed += String(c);
    });
    const adapter = new ConsoleAdapter({
      input: new PassThrough(),
      output,
      log: silentLogger(),
      interactive: false,
    });
    await adapter.start({ handle: async () => ({}) as never, suggest: () => [] });
    await adapter.deliver("console:local", reply());
    expect(printed).toBe(renderSource(reply()));
    expect(renderAlert(alertOf({ ...APT40, sources: 2 }))).toContain(
      "Source: advisory-apt40.md (+2 sources)",
    );
    expect(renderAlert(alertOf(APT40))).not.toContain("sources");
    await adapter.stop();
  });
});
