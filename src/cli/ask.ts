// `cyberbrief ask "/cyber ..."`: one command against the store, printed as the console shows it, or as JSON.

import { consoleCommand } from "../chat/console/adapter.js";
import { renderReply } from "../chat/console/render.js";
import { terminalSafe } from "../chat/console/text.js";
import type { Config } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import { openCommandCore } from "../main.js";
import { requireDatabase } from "./options.js";

export async function askOnce(config: Config, log: Logger, text: string, json: boolean): Promise<number> {
  requireDatabase(config.dbPath);
  const core = openCommandCore(config, log);
  try {
    const reply = await core.commands.handle(consoleCommand(text));
    process.stdout.write(json ? `${JSON.stringify(reply, null, 2)}\n` : terminalSafe(renderReply(reply)));
    return reply.kind === "error" ? 1 : 0;
  } finally {
    await core.close();
  }
}
