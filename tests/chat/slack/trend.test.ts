// `/cyber trend` on Slack: the chart uploaded through getUploadURLExternal, the upload URL and
// completeUploadExternal, shown privately in the ephemeral answer or shared in the channel as visibility says.

import { describe, expect, it } from "vitest";
import type { CommandHandler } from "../../../src/chat/types.js";
import type { Config } from "../../../src/config/schema.js";
import { useFilledStore } from "../../helpers/filled-store.js";
import { FakeFiles } from "./fake-files.js";
import { waitFor } from "./fake-slack.js";
import { ASKER, CHANNEL, postSigned, shareClick, slashCommand, startAdapter, useSlack } from "./fixtures.js";

let handler: CommandHandler;
useFilledStore((filled) => ({ handler } = filled));
const slack = useSlack({ users: [{ id: ASKER }] });

async function trend(config: Partial<Config["slack"]>, text: string, id: string) {
  slack.running ??= await startAdapter(slack.fake, handler, "http", config);
  await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, text, id, ASKER));
}

const uploads = () => [...slack.fake.uploads.files.values()];

describe("/cyber trend on Slack", () => {
  it("private by default: uploads the PNG unshared and shows it in the ephemeral answer", async () => {
    await trend({}, "trend apt40", "t1");
    const { body, accepted } = await waitFor(() => slack.fake.responses.find((r) => r.id === "t1"));
    expect(accepted).toBe(true);
    expect(body.response_type).toBe("ephemeral");
    const blocks = body.blocks as Array<{ type: string; slack_file?: { id: string }; alt_text?: string }>;
    const image = blocks.find((b) => b.type === "image");
    const [file] = uploads();
    expect(image?.slack_file?.id).toBe(file?.id);
    expect(image?.alt_text).toMatch(/^Bar chart of stories per week about APT40, 26 weeks/);
    expect(file).toMatchObject({ filename: "trend.png", completed: true, title: "APT40: stories per week" });
    expect(file?.channel).toBeUndefined();
    expect(file?.bytes?.subarray(1, 4).toString()).toBe("PNG");
    expect(file?.altText).toContain("APT40");
    const methods = slack.fake.calls.map((c) => c.method).filter((m) => m.startsWith("files."));
    expect(methods).toEqual(["files.getUploadURLExternal", "files.completeUploadExternal"]);
    expect(slack.fake.callsTo("files.upload")).toEqual([]);
    expect(slack.running?.errors).toEqual([]);
  });

  it("public visibility: the upload itself shares the chart in the channel with the answer as its comment", async () => {
    await trend({ replyVisibility: "public" }, "trend sponsor:cn 52w", "t2");
    const file = await waitFor(() => uploads().find((f) => f.completed));
    expect(file.channel).toBe(CHANNEL);
    expect(file.comment).toMatch(/China \(blamed\): \d+ stor\w+ in 52 weeks/);
    expect(file.comment).toContain("Busiest week");
    expect(slack.fake.responses).toEqual([]);
  });

  it("Share in channel re-runs the trend and shares its chart in the channel", async () => {
    slack.running ??= await startAdapter(slack.fake, handler, "http");
    await postSigned(slack.running.eventsUrl, {
      payload: JSON.stringify(shareClick(slack.fake, "trend apt40")),
    });
    const file = await waitFor(() => uploads().find((f) => f.channel === CHANNEL));
    expect(file.comment).toContain("Shared by <@U0CLICK>");
    await waitFor(() => slack.fake.responses.find((r) => r.body.delete_original === true));
  });

  it("a failed upload still answers, saying why the chart is missing", async () => {
    slack.fake.fail("files.getUploadURLExternal", { kind: "error", error: "missing_scope" });
    await trend({}, "trend apt40", "t4");
    const { body, accepted } = await waitFor(() => slack.fake.responses.find((r) => r.id === "t4"));
    expect(accepted).toBe(true);
    const text = JSON.stringify(body.blocks);
    expect(text).toContain("APT40");
    expect(text).toContain("missing_scope");
    expect(text).toContain("files:write");
    expect(text).not.toContain('"image"');
  });

  it("the fake refuses bytes of another length, a .png that is not one, and an image of no upload", () => {
    const files = new FakeFiles(() => "http://127.0.0.1:1");
    const { file_id } = files.getUploadURL({ filename: "trend.png", length: "4" }) as { file_id: string };
    expect(files.upload(file_id, Buffer.from("abc"))[0]).toBe(400);
    expect(files.upload(file_id, Buffer.from("abcd"))).toEqual([400, "not a PNG"]);
    expect(files.complete({ files: JSON.stringify([{ id: file_id }]) })).toMatchObject({ ok: false });
    expect(files.imageProblems([{ type: "image", alt_text: "x", slack_file: { id: file_id } }])).toMatch(
      /unknown or unfinished/,
    );
  });
});
