// What the digest contract tests share: stories saved at chosen ingest times, a subscription's gathering for one
// period (alerts/digest.ts gatherDigest, as the scheduler runs it), and the digest rows queued.

import { gatherDigest } from "../../../src/alerts/digest.js";
import type { Analysis } from "../../../src/core/article.js";
import type { DigestPeriod } from "../../../src/core/digest.js";
import type { TagKey } from "../../../src/core/tags.js";
import type { DigestSubscription, DigestTx } from "../../../src/store/digests.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { rowidOf, rowsOf } from "./seams.js";
import type { ContractStore } from "./stores.js";

export const HOUR = 3_600_000;
export const T0 = Date.parse("2026-12-01T08:00:00Z");
export const CHANNEL = "slack:T1/C1";
export const period: DigestPeriod = { start: T0, end: T0 + 24 * HOUR, id: "2026-12-02", label: "1-2 Dec" };

const actor = (id: string) => ({ id, name: id, attackId: null, sponsor: null, matched: [] });
export const apt40 = analysisOf({ summary: "s", cyber: true, actors: [actor("APT40")] });
export const untagged = analysisOf({ summary: "s" });

export function fixture() {
  let now = T0;
  return { clock: { now: () => now }, at: (ms: number) => (now = T0 + ms) };
}

export type Fixture = ReturnType<typeof fixture>;

/** Saves a story at `ms` after T0 (its ingest time); quiet like a feed's first poll when `quiet`. */
export async function saveAt(
  store: ContractStore,
  f: Fixture,
  ms: number,
  path: string,
  body: string,
  a: Analysis,
  quiet = false,
) {
  f.at(ms);
  await store.saveArticles([
    { article: article(path, body), analysis: a, file: { path, size: 1, mtimeMs: 1 }, alert: !quiet },
  ]);
  return rowidOf(store, path);
}

export const sub = (tag: TagKey): DigestSubscription => ({
  channelRef: CHANNEL,
  platform: "slack",
  tag,
  schedule: { mode: "daily", at: "08:00" },
  since: 0,
});

export const gather = (tag: TagKey) => (tx: DigestTx) => gatherDigest(tx, sub(tag), period, "UTC");

export type DigestRow = {
  digest_key: string;
  story_rowid: number;
  channel_ref: string;
  platform: string;
  tags: string;
  status: string;
  payload: string;
};
export const digestRows = (store: ContractStore) =>
  rowsOf<DigestRow>(
    store,
    "SELECT digest_key, story_rowid, channel_ref, platform, tags, status, payload FROM deliveries WHERE kind = 'digest' ORDER BY id",
  );
