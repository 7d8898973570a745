// `/cyber trend` on Discord: the chart goes as an attachment of the interaction reply, shown in the embed.

import { afterEach, describe, expect, it } from "vitest";
import type { CommandHandler } from "../../../src/chat/types.js";
import { useFilledStore } from "../../helpers/filled-store.js";
import { type Bot, startBot, stopBot } from "./harness.js";

let handler: CommandHandler;
let bot: Bot | undefined;

useFilledStore((filled) => ({ handler } = filled));
afterEach(() =>
  stopBot(bot).finally(() => {
    bot = undefined;
  }),
);

type Payload = {
  type?: number;
  data?: Record<string, unknown>;
  embeds?: Array<{ title?: string; image?: { url?: string } }>;
  attachments?: Array<{ description?: string }>;
};

describe("/cyber trend on Discord", () => {
  it("replies with the PNG attached and the embed showing it, alt text as its description", async () => {
    bot = await startBot({ handler });
    bot.interact({ kind: "command", query: "trend apt40" });
    const req = await bot.fake.waitFor(() =>
      bot?.fake.find("POST", /\/callback$/).find((r) => r.status !== undefined),
    );
    expect(req.status).toBe(204);
    const data = (req.body as Payload).data as Payload;
    expect(data.embeds?.[0]?.title).toMatch(/^APT40: \d+ stor/);
    expect(data.embeds?.[0]?.image?.url).toBe("attachment://trend.png");
    expect(data.attachments?.[0]?.description).toMatch(
      /^Bar chart of stories per week about APT40, 26 weeks/,
    );
    const [file] = req.files ?? [];
    expect(file?.name).toBe("trend.png");
    expect(file?.bytes.subarray(1, 4).toString()).toBe("PNG");
  });

  it("a slow answer is deferred, and the edit carries the attachment", async () => {
    // The real handler, answering only once the interaction was deferred (no real waiting).
    const held: CommandHandler = {
      handle: async (c) => {
        await bot?.fake.waitFor(() => bot?.fake.callbacks().find((cb) => cb.type === 5));
        return handler.handle(c);
      },
      suggest: handler.suggest,
    };
    bot = await startBot({ handler: held, adapter: { deferAfterMs: 0 } });
    bot.interact({ kind: "command", query: "trend sponsor:cn 52w" });
    const edit = await bot.fake.waitFor(() =>
      bot?.fake.find("PATCH", /\/messages\/%40original$/).find((r) => r.status !== undefined),
    );
    expect(edit.status).toBe(200);
    const body = edit.body as Payload;
    expect(body.embeds?.[0]?.title).toMatch(/^China .*blamed/);
    expect(body.embeds?.[0]?.image?.url).toBe("attachment://trend.png");
    expect(edit.files?.[0]?.bytes.subarray(1, 4).toString()).toBe("PNG");
  });

  it("the fake refuses an embed that names an attachment the upload lacks", async () => {
    const { checkUploads } = await import("./fake-uploads.js");
    expect(checkUploads({ embeds: [{ image: { url: "attachment://trend.png" } }] }, [])).toEqual([
      "attachment://trend.png: no such file in the upload",
    ]);
    expect(
      checkUploads({}, [{ field: "files[0]", name: "x.png", type: "image/png", bytes: Buffer.from("nope") }]),
    ).toEqual(["x.png: not a PNG"]);
  });
});
