// Record and replay of a digest's synchronous gathering over asynchronous lookups (store/pg/digest-replay.ts):
// each distinct lookup fetched once, build rerun from the start until it has every answer, its own errors passed
// on, and a gathering that keeps asking new questions stopped.

import { describe, expect, it } from "vitest";
import type { DigestCandidate, NewDigest } from "../../../src/store/digests.js";
import { type DigestAnswers, MAX_LOOKUPS, replay } from "../../../src/store/pg/digest-replay.js";

const candidate = (rowid: number): DigestCandidate => ({
  rowid,
  event: rowid,
  actors: [],
  countries: [],
  cyber: true,
  sectors: [],
  malware: [],
  cves: [],
});

/** Answers from fixed data, recording every lookup asked of them. */
function answers() {
  const asked: string[] = [];
  const source: DigestAnswers = {
    async between(start, end) {
      asked.push(`between ${start}-${end}`);
      return [candidate(1), candidate(2), candidate(3)];
    },
    async sizes(events) {
      asked.push(`sizes ${events.join(",")}`);
      return new Map(events.map((e) => [e, e * 10]));
    },
    async phrase(phrase, rowids) {
      asked.push(`phrase ${phrase} ${rowids.join(",")}`);
      return new Set(rowids.filter((r) => r !== 2));
    },
  };
  return { asked, source };
}

const digestOf = (storyRowid: number, events: Array<[number, number]>): NewDigest => ({
  channelRef: "slack:T1/C1",
  platform: "slack",
  tag: "all",
  storyRowid,
  payload: { v: 1, mode: "daily", at: "08:00", zone: "UTC", start: 0, end: 1, label: "", events, total: 0 },
});

describe("digest record and replay", () => {
  it("fetches each lookup once, in the order build asks, and returns build's result", async () => {
    const { asked, source } = answers();
    let runs = 0;
    const digest = await replay((tx) => {
      runs++;
      const ids = tx.ingestedBetween(0, 10).map((s) => s.rowid);
      const again = tx.ingestedBetween(0, 10).map((s) => s.rowid);
      const found = [...tx.withPhrase("electoral commission", ids)];
      const sizes = tx.eventSizes(found);
      return digestOf(
        again[0] as number,
        found.map((e) => [e, sizes.get(e) ?? 0]),
      );
    }, source);
    expect(asked).toEqual(["between 0-10", "phrase electoral commission 1,2,3", "sizes 1,3"]);
    expect(runs).toBe(4);
    expect(digest?.storyRowid).toBe(1);
    expect(digest?.payload.events).toEqual([
      [1, 10],
      [3, 30],
    ]);
  });

  it("returns null from a build that finds nothing, after its one lookup", async () => {
    const { asked, source } = answers();
    expect(await replay((tx) => (tx.ingestedBetween(5, 6).length > 5 ? digestOf(1, []) : null), source)).toBe(
      null,
    );
    expect(asked).toEqual(["between 5-6"]);
  });

  it("passes build's own errors on, and fetches nothing more", async () => {
    const { asked, source } = answers();
    const broken = replay((tx) => {
      tx.ingestedBetween(0, 1);
      throw new RangeError("bad period");
    }, source);
    await expect(broken).rejects.toThrow(RangeError);
    expect(asked).toEqual(["between 0-1"]);
  });

  it("stops a build that asks a new question on every run", async () => {
    const { asked, source } = answers();
    let n = 0;
    const endless = replay((tx) => {
      n++;
      tx.ingestedBetween(0, n);
      return null;
    }, source);
    await expect(endless).rejects.toThrow(/more than 12 lookups/);
    expect(asked).toHaveLength(MAX_LOOKUPS);
  });
});
