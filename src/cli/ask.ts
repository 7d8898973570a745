// `cyberbrief ask "/cyber ..."`: one command against the store, printed as the console shows it, or as JSON.

import { consoleCommand, consoleReplyText } from "../chat/console/adapter.js";
import { MAX_WIDTH, terminalSafe } from "../chat/console/text.js";
import type { Config } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import { chartsDirOf } from "../main/adapters.js";
import { openCommandCore } from "../main.js";
import { requireDatabase } from "./options.js";

export async function askOnce(config: Config, log: Logger, text: string, json: boolean): Promise<number> {
  requireDatabase(config);
  const core = await openCommandCore(config, log);
  try {
    const reply = await core.commands.handle(consoleCommand(text));
    const out = json
      ? `${JSON.stringify(reply, pngAsBase64, 2)}\n`
      : terminalSafe(consoleReplyText(reply, MAX_WIDTH, chartsDirOf(config.dbPath)));
    process.stdout.write(out);
    return reply.kind === "error" ? 1 : 0;
  } finally {
    await core.close();
  }
}

/** A chart's PNG bytes in JSON as one base64 string, not an object of numbered bytes. */
function pngAsBase64(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
}
