// `cyberbrief status`: what the store holds, the last scan, deliveries and rejected files, as text or JSON.

import { dirname, isAbsolute, relative, sep } from "node:path";
import type { Config } from "../config/schema.js";
import type { ScanReport } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import { openStores, storeWhere } from "../main/stores.js";
import type { FailedDelivery, OutboxStats, PlatformState } from "../store/outbox.js";
import type { LeaderState } from "../store/pg/replica.js";
import type { Subscription } from "../store/subscriptions.js";
import type { Rejection, StoreStats } from "../store/types.js";
import { requireDatabase } from "./options.js";
import { printable } from "./text.js";

interface DeliveryStatus {
  outbox: OutboxStats;
  failedDeliveries: FailedDelivery[];
  disabledSubscriptions: Subscription[];
  pausedPlatforms: PlatformState[];
}

export const scanLine = (r: ScanReport): string =>
  `${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.duplicate} duplicate, ${r.rejected} rejected`;

export async function showStatus(config: Config, _log: Logger, json: boolean): Promise<number> {
  requireDatabase(config);
  // The stores alone (main/stores.ts, not main.ts): no command handler, names or analysis are loaded.
  const core = await openStores(config);
  try {
    const stats = await core.store.stats();
    const rejections = await core.store.rejections();
    const scanned = scannedFolder(config.seedsDir, (await core.store.filePathBounds()) ?? []);
    const delivery: DeliveryStatus = {
      outbox: await core.outbox.stats(),
      failedDeliveries: await core.outbox.failures(20),
      disabledSubscriptions: await core.subscriptions.disabledSubscriptions(),
      pausedPlatforms: await core.outbox.platformStates(),
    };
    const leaders = core.pg ? await core.pg.leaders() : null;
    if (json) {
      const backend = leaders ? { backend: "postgresql", leaders } : { backend: "sqlite" };
      const all = {
        db: storeWhere(config),
        ...backend,
        seeds: config.seedsDir,
        ...stats,
        rejections,
        ...delivery,
      };
      process.stdout.write(`${JSON.stringify(all)}\n`);
      return 0;
    }
    process.stdout.write(statusText(config, stats, rejections, delivery, scanned, leaders));
    return 0;
  } finally {
    await core.close();
  }
}

/**
 * The folder the stored files were scanned from: the seeds folder when they are inside it, else the deepest
 * folder holding them all (the store keeps absolute paths, not the folder a scan started from). The first and
 * last path in sort order are enough: the paths under one folder sort together, between those two.
 */
export function scannedFolder(seedsDir: string, paths: string[]): string {
  const inside = (p: string) => {
    const r = relative(seedsDir, p);
    return r !== "" && !r.startsWith("..") && !isAbsolute(r);
  };
  if (paths.length === 0 || paths.every(inside)) return seedsDir;
  let common = dirname(paths[0] as string);
  for (const p of paths) {
    while (common !== dirname(common) && !p.startsWith(common.endsWith(sep) ? common : common + sep))
      common = dirname(common);
  }
  return common;
}

function statusText(
  config: Config,
  s: StoreStats,
  rejections: Rejection[],
  d: DeliveryStatus,
  scanned: string,
  leaders: LeaderState[] | null,
): string {
  const lines = [
    `Database: ${storeWhere(config)}`,
    ...(leaders ? leaderLines(leaders) : []),
    `Seeds:    ${scanned}${scanned === config.seedsDir ? "" : " (where the stored files are)"}`,
    `Stories:  ${s.stories} (${s.revisions} revisions), files tracked: ${s.files}, rejected: ${s.rejected}`,
    `Feeds:    ${s.feeds} (${s.feedItems} feed ${s.feedItems === 1 ? "item" : "items"} stored; \`cyberbrief feed list\` shows their health)`,
    s.lastScan
      ? `Last scan: ${s.lastScan.finishedAt} (${scanLine(s.lastScan)})`
      : "Last scan: never (run `cyberbrief ingest` or `cyberbrief run`)",
  ];
  const o = d.outbox;
  lines.push(
    `Outbox:   ${o.pending} pending, ${o.sending} sending, ${o.sent} sent, ${o.failed} failed, ${o.cancelled} cancelled` +
      (o.oldestPendingAt ? ` (oldest pending since ${new Date(o.oldestPendingAt).toISOString()})` : ""),
    `Subscriptions: ${o.activeSubscriptions} active, ${o.disabledSubscriptions} switched off`,
  );
  for (const p of d.pausedPlatforms) {
    lines.push(`Paused:   ${p.platform} alerts, since ${new Date(p.since).toISOString()}: ${p.reason}`);
  }
  if (d.disabledSubscriptions.length > 0) {
    lines.push("", "Switched-off subscriptions:");
    for (const s of d.disabledSubscriptions) {
      lines.push(
        `  ${s.channelRef} ${s.tag}: ${s.disabledReason ?? "delivery failed"} (since ${s.disabledAt})`,
      );
    }
  }
  if (d.failedDeliveries.length > 0) {
    lines.push("", "Failed deliveries (most recent):");
    for (const f of d.failedDeliveries) {
      lines.push(`  ${f.channelRef} story ${f.storyId} after ${f.attempts} attempts: ${f.error}`);
    }
  }
  if (rejections.length > 0) {
    lines.push("", `Rejected files (in ${scanned}):`);
    for (const r of rejections) {
      lines.push(`  ${relative(scanned, r.path) || r.path}: ${r.reason} (${r.detail}), since ${r.firstSeen}`);
    }
  }
  // File names, article text in error details and channel names come from outside: never obeyed as controls.
  return `${lines.map(printable).join("\n")}\n`;
}

/** PostgreSQL: which replica leads the scheduler (scans, feeds, digests) and sends each platform's alerts. */
export function leaderLines(leaders: LeaderState[]): string[] {
  const s = leaders.find((l) => l.role === "scheduler");
  const lines = [
    s
      ? `Leader:   scheduler ${leaderText(s)}`
      : "Leader:   none yet (no replica has run; `cyberbrief run` elects one)",
  ];
  for (const l of leaders.filter((r) => r.role.startsWith("sender:")))
    lines.push(`Sender:   ${l.role.slice("sender:".length)} ${leaderText(l)}`);
  return lines;
}

const leaderText = (l: LeaderState): string => {
  const since = `term ${l.term}, since ${l.since}`;
  return l.held
    ? `on ${l.holder} (${since})`
    : `held by none now: the last was ${l.holder} (${since}); a running replica takes over within seconds`;
};
