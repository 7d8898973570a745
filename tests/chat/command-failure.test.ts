// One answer to a command handler that throws: the same neutral error Reply on Slack, Discord and the console,
// each carrying the error id that the log line for it carries (the rule lives in src/commands/handler.ts).

import { MessageFlags } from "discord.js";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../src/chat/console/adapter.js";
import { renderReply as renderConsole } from "../../src/chat/console/render.js";
import { widthFor } from "../../src/chat/console/text.js";
import { renderReply as renderDiscord } from "../../src/chat/discord/render.js";
import { responseFor } from "../../src/chat/slack/listeners.js";
import { failedReply } from "../../src/commands/handler.js";
import { consoleIO } from "../helpers/console-io.js";
import { afterTest, throwingHandler } from "../helpers/handlers.js";
import { type LogLine, memoryLogger } from "../helpers/memory-log.js";
import { waitFor } from "../helpers/tmp.js";
import { startBot } from "./discord/harness.js";
import { FakeSlack } from "./slack/fake-slack.js";
import { postSigned, slashCommand, startAdapter } from "./slack/fixtures.js";

/** The one "command failed" line an adapter logged, and its error id. */
function failureLine(lines: LogLine[]): string {
  const failed = lines.filter((l) => l.msg === "command failed");
  expect(failed).toHaveLength(1);
  expect(failed[0]).toMatchObject({ level: 50, err: { message: "handler exploded" } });
  const id = failed[0]?.errorId;
  expect(id).toMatch(/^[0-9a-f]{8}$/);
  return id as string;
}

describe("a command handler that throws", () => {
  it("gets the same private error reply on Slack, with the logged error id", async () => {
    const fake = await FakeSlack.start();
    afterTest(() => fake.close());
    const { log, lines } = memoryLogger();
    const running = await startAdapter(fake, throwingHandler, "http", { replyVisibility: "public" }, { log });
    afterTest(() => running.adapter.stop());

    await postSigned(running.eventsUrl, slashCommand(fake, "apt40"));
    const posted = await waitFor(() => fake.responses.find((r) => r.id === "r1"), 5000, "the response");
    const id = failureLine(lines);
    // Private although replies are public here, and exactly the neutral reply rendered for Slack.
    expect(posted.body).toMatchObject({ response_type: "ephemeral" });
    expect(posted.body).toEqual(responseFor(failedReply(id), "apt40", { visibility: "public" }));
    expect(running.errors).toEqual([]);
  });

  it("gets the same private error reply on Discord, with the logged error id", async () => {
    const bot = await startBot({ handler: throwingHandler, config: { replyVisibility: "public" } });
    afterTest(() => bot.stop());

    bot.interact({ kind: "command", query: "apt40" });
    const callback = await bot.fake.waitFor(() => bot.fake.callbacks()[0]);
    const data = callback.data as { embeds: unknown[]; flags?: number };
    const id = failureLine(bot.logs);
    expect((data.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const expected = JSON.parse(JSON.stringify(renderDiscord(failedReply(id)).embeds));
    expect(data.embeds).toEqual(expected);
    expect(bot.errors).toEqual([]);
  });

  it("gets the same error reply on the console (which used to leave the throw unhandled)", async () => {
    const { input, output, read } = consoleIO();
    const { log, lines } = memoryLogger();
    const adapter = new ConsoleAdapter({ input, output, log, interactive: true });
    afterTest(() => adapter.stop());
    await adapter.start(throwingHandler);

    input.write("/cyber apt40\n");
    await waitFor(() => lines.some((l) => l.msg === "command failed"), 5000, "the failure log line");
    const id = failureLine(lines);
    const expected = renderConsole(failedReply(id), widthFor(undefined));
    await waitFor(() => read().includes(expected), 5000, "the error reply on the console");
    expect(read()).toContain(id);
    // The prompt comes back: the console still answers.
    await waitFor(() => read().slice(read().indexOf(expected)).includes("cyber> "), 5000, "the prompt");
  });
});
