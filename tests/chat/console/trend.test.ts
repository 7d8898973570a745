// `/cyber trend` on the console: the PNG saved in the charts folder, its absolute path and a sparkline printed.

import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleReplyText } from "../../../src/chat/console/adapter.js";
import { chartFileName } from "../../../src/chat/console/chart.js";
import type { CommandHandler } from "../../../src/chat/types.js";
import { chartsDirOf } from "../../../src/main/adapters.js";
import { ManualClock } from "../../alerts/fixtures.js";
import { command, handlerFor, useFilledStore } from "../../helpers/filled-store.js";
import { tempDir } from "../../helpers/tmp.js";

let handler: CommandHandler;
// The fixtures' APT40 stories are from March and July 2024: charted from a day in August 2024.
useFilledStore((filled) => {
  handler = handlerFor(filled.store, new ManualClock(Date.parse("2024-08-01T09:00:00Z")));
});

describe("/cyber trend on the console", () => {
  it("saves the PNG beside the database and prints its absolute path, a sparkline and the counts", async () => {
    const reply = await handler.handle(command("trend apt40"));
    const dir = chartsDirOf(join(tempDir(), "var", "cb.db"));
    const text = consoleReplyText(reply, 100, dir);
    expect(reply.headline).toMatch(/^APT40: [1-9]\d* stor/);
    const path = /Chart saved: (\S+)/.exec(text)?.[1] ?? "";
    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(join(dir, "apt40-26w.png"));
    expect(readFileSync(path).subarray(1, 4).toString()).toBe("PNG");
    expect(text).toMatch(/^ {3}[▁▂▃▄▅▆▇█]{26}$/m);
    expect(text.replace(/\s+/g, " ")).toMatch(
      /Weekly counts from the week of \d{4}-\d{2}-\d{2} to the week of \d{4}-\d{2}-\d{2}: (\d+ ){25}\d+/,
    );
  });

  it("a subject's file name keeps to letters and digits, and a folder it cannot write is one line", async () => {
    const reply = await handler.handle(command('trend keyword:"../../etc passwd"'));
    if (!reply.image) throw new Error("no chart");
    expect(chartFileName(reply.image)).toBe("etc-passwd-26w.png");
    const blocked = join(tempDir(), "file");
    consoleReplyText(reply, 100, tempDir()); // a writable folder works
    const { writeFileSync } = await import("node:fs");
    writeFileSync(blocked, "x");
    const text = consoleReplyText(reply, 100, join(blocked, "charts"));
    expect(text).toMatch(/Chart not saved: could not save the chart in .*file\/charts/);
    expect(existsSync(join(blocked, "charts"))).toBe(false);
  });
});
