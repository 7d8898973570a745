// `cyberbrief ingest` and `cyberbrief status`: one scan and exit, or what the store holds.

import { relative } from "node:path";
import type { Config } from "../config/schema.js";
import type { Logger } from "../log/logger.js";
import { buildCore } from "../main.js";
import type { Rejection, ScanReport, StoreStats } from "../store/types.js";

export async function ingestOnce(config: Config, log: Logger, json: boolean): Promise<number> {
  const core = buildCore(config, log);
  try {
    const started = performance.now();
    const report = await core.engine.scan(config.seedsDir);
    await core.engine.idle();
    const ms = Math.round(performance.now() - started);
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ ...report, ms, seeds: config.seedsDir, db: config.dbPath })}\n`,
      );
    } else {
      process.stdout.write(
        `${scanLine(report)} in ${ms} ms (seeds: ${config.seedsDir}, db: ${config.dbPath})\n`,
      );
      if (report.rejected > 0)
        process.stdout.write("Run `cyberbrief status` to see why files were rejected.\n");
    }
    return 0;
  } finally {
    await core.close();
  }
}

export const scanLine = (r: ScanReport): string =>
  `${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.duplicate} duplicate, ${r.rejected} rejected`;

export async function showStatus(config: Config, log: Logger, json: boolean): Promise<number> {
  const core = buildCore(config, log);
  try {
    const stats = await core.store.stats();
    const rejections = await core.store.rejections();
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ db: config.dbPath, seeds: config.seedsDir, ...stats, rejections })}\n`,
      );
      return 0;
    }
    process.stdout.write(statusText(config, stats, rejections));
    return 0;
  } finally {
    await core.close();
  }
}

function statusText(config: Config, s: StoreStats, rejections: Rejection[]): string {
  const lines = [
    `Database: ${config.dbPath}`,
    `Seeds:    ${config.seedsDir}`,
    `Stories:  ${s.stories} (${s.revisions} revisions), files tracked: ${s.files}, rejected: ${s.rejected}`,
    s.lastScan
      ? `Last scan: ${s.lastScan.finishedAt} (${scanLine(s.lastScan)})`
      : "Last scan: never (run `cyberbrief ingest` or `cyberbrief run`)",
  ];
  if (rejections.length > 0) {
    lines.push("", "Rejected files:");
    for (const r of rejections) {
      lines.push(
        `  ${relative(config.seedsDir, r.path) || r.path}: ${r.reason} (${r.detail}), since ${r.firstSeen}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
