// Log lines and alerts printed while the `cyber>` prompt is shown land above it; the prompt and the typed text come back.

import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleLogSink } from "../../../src/chat/console/above-prompt.js";
import { ConsoleAdapter } from "../../../src/chat/console/adapter.js";
import type { CommandHandler } from "../../../src/chat/types.js";
import { storyCard } from "../../../src/core/cards.js";
import { createLogger, silentLogger } from "../../../src/log/logger.js";
import type { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import { useFilledStore } from "../../helpers/filled-store.js";
import { waitFor } from "../../helpers/tmp.js";
import { type FakeTerminal, fakeTerminal } from "./terminal.js";

let handler: CommandHandler;
let store: SqliteStoryStore;
useFilledStore((filled) => ({ handler, store } = filled));

/** The console as `cyberbrief run` wires it: the logger writes through the sink the adapter guards. */
async function startConsole(term: FakeTerminal, logTarget: NodeJS.WritableStream = term.stderr) {
  const sink = new ConsoleLogSink(logTarget);
  const log = createLogger({ level: "info", destination: sink, pretty: sink.isTTY });
  const adapter = new ConsoleAdapter({
    input: term.input,
    output: term.stdout,
    log: silentLogger(),
    interactive: true,
    logSink: sink,
  });
  await adapter.start(handler);
  await waitFor(async () => (await term.text()).endsWith("cyber>"), 5000, "the prompt");
  return { adapter, log };
}

const lastRows = async (term: FakeTerminal, n: number) => (await term.text()).split("\n").slice(-n);

describe("the console prompt", () => {
  it("prints a log line above the prompt and redraws the prompt with what was typed so far", async () => {
    const term = fakeTerminal(80);
    const { adapter, log } = await startConsole(term);
    term.input.write("/cyber apt4");
    await waitFor(async () => (await term.text()).endsWith("cyber> /cyber apt4"), 5000, "the typed text");
    log.info({ module: "ingest", story: "4c41fc55" }, "stored new story");
    await waitFor(async () => (await term.text()).includes("stored new story"), 5000, "the log line");
    await waitFor(async () => (await term.text()).endsWith("cyber> /cyber apt4"), 5000, "the redrawn prompt");
    const rows = await term.screen();
    const logRow = rows.findIndex((r) => r.includes("stored new story"));
    // The log line starts its own row (not after "cyber> ") and the prompt is below it, once.
    expect(rows[logRow]).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: stored new story \{"module":"ingest","story":"4c41fc55"\}$/,
    );
    // One row per log entry: fields do not spread over lines of their own between answers.
    expect(rows[logRow + 1]).toBe("cyber> /cyber apt4");
    expect(rows.filter((r) => r.startsWith("cyber>"))).toEqual(["cyber> /cyber apt4"]);
    expect(rows.findIndex((r) => r.startsWith("cyber>"))).toBeGreaterThan(logRow);
    expect(await term.cursor()).toEqual({ row: rows.lastIndexOf("cyber> /cyber apt4"), col: 18 });
    // readline still holds the typed text: finishing the line answers "apt40".
    term.input.write("0\r");
    await waitFor(async () => (await term.text()).includes("== APT40: 2 stories"), 5000, "the answer");
    await adapter.stop();
  });

  it("keeps input that wraps over several rows intact around a log line", async () => {
    const term = fakeTerminal(40);
    const { adapter, log } = await startConsole(term);
    const typed = "/cyber search electoral commission parliament espionage";
    term.input.write(typed);
    await waitFor(async () => (await term.text()).replace(/\n/g, "").endsWith(typed), 5000, "the typed text");
    log.warn("first");
    log.warn("second");
    await waitFor(async () => (await term.text()).includes("WARN: second"), 5000, "the log lines");
    const rows = await lastRows(term, 4);
    expect(rows[0]).toMatch(/WARN: first$/);
    expect(rows[1]).toMatch(/WARN: second$/);
    expect(rows.slice(2).join("")).toBe(`cyber> ${typed}`);
    await adapter.stop();
  });

  it("prints an alert above the prompt and redraws what was typed, even over two rows", async () => {
    const term = fakeTerminal(60);
    const { adapter } = await startConsole(term);
    const typed = `/cyber search ${"word ".repeat(12).trim()}`;
    term.input.write(typed);
    await waitFor(async () => (await term.text()).replace(/\n/g, "").endsWith(typed), 5000, "the typed text");
    const story = (await store.latest(1)).stories[0];
    if (!story) throw new Error("no story");
    await adapter.deliver("console:local", {
      kind: "alert",
      alert: { story: storyCard(story), reason: "subscribed to all" },
    });
    const text = await term.text();
    expect(text).toContain(">> New story (subscribed to all)");
    expect(text.split("\n").filter((r) => r.startsWith("cyber>"))).toHaveLength(1);
    expect((await lastRows(term, 2)).join("")).toBe(`cyber> ${typed}`);
    // The alert is laid out for the 60 columns of this terminal.
    expect(Math.max(...text.split("\n").map((r) => r.length))).toBeLessThanOrEqual(60);
    await adapter.stop();
  });

  it("after Ctrl-D later log lines start on a line of their own", async () => {
    const term = fakeTerminal(80);
    const { log } = await startConsole(term);
    term.input.end();
    await waitFor(async () => (await term.cursor()).col === 0, 5000, "the line ended");
    log.info("stopping");
    await waitFor(async () => (await term.text()).includes("stopping"), 5000, "the log line");
    expect((await lastRows(term, 2))[0]).toBe("cyber>");
  });

  it("when logs do not go to a terminal they pass through unchanged", async () => {
    const term = fakeTerminal(80);
    let written = "";
    const file = new Writable({
      write(chunk, _enc, done) {
        written += String(chunk);
        done();
      },
    });
    const { adapter, log } = await startConsole(term, file);
    term.input.write("apt");
    log.info({ module: "ingest" }, "stored new story");
    await waitFor(() => written.includes("stored new story"), 5000, "the log line");
    expect(JSON.parse(written.trim())).toMatchObject({ msg: "stored new story", module: "ingest" });
    expect(await term.text()).toMatch(/cyber> apt$/);
    await adapter.stop();
  });
});
