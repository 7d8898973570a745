// One sender per platform among several replicas: a bot's rate limits (Discord's 50 requests a second, Slack's
// per channel) are the bot's, not a replica's, so only the replica that leads "sender:<platform>" posts that
// platform's alerts, paced as one bot. The console is no shared bot: any replica claims and prints its alerts.

import type { AlertSender } from "../alerts/types.js";
import type { ChatAdapter } from "../chat/types.js";
import type { Platform } from "../core/platform.js";
import type { Logger } from "../log/logger.js";
import type { PgParts } from "./stores.js";

export interface Senders {
  /** What the dispatcher sends through: a platform counts as connected here only while this replica sends for it. */
  adapters: Map<Platform, AlertSender>;
  /** Begins trying to lead each platform's sending; `onChange` hears every gain and loss. */
  start(onChange: () => void): Promise<void>;
  stop(): Promise<void>;
}

/** Every adapter sends on SQLite (one bot per file) and the console sends on every replica. */
export async function senders(
  adapters: readonly ChatAdapter[],
  pg: PgParts | null,
  log: Logger,
  checkEveryMs?: number,
): Promise<Senders> {
  const all = new Map<Platform, AlertSender>(adapters.map((a) => [a.platform, a]));
  const shared = pg ? adapters.filter((a) => a.platform !== "console") : [];
  if (!pg || shared.length === 0) return { adapters: all, start: async () => {}, stop: async () => {} };
  const { PgLeadership } = await import("../store/pg/leader.js");
  const leads = shared.map((adapter) => {
    const lead = new PgLeadership({
      url: pg.url,
      holder: pg.holder,
      role: `sender:${adapter.platform}`,
      checkEveryMs,
      log: log.child({ module: "leader" }),
    });
    const gated: AlertSender = {
      platform: adapter.platform,
      deliver: (channelRef, message) => adapter.deliver(channelRef, message),
      isConnected: () => lead.term() !== null && adapter.isConnected(),
      findDigest: adapter.findDigest?.bind(adapter),
    };
    all.set(adapter.platform, gated);
    return lead;
  });
  return {
    adapters: all,
    async start(onChange) {
      for (const lead of leads) {
        lead.onChange(() => onChange());
        await lead.start();
      }
    },
    async stop() {
      for (const lead of leads) await lead.stop();
    },
  };
}
