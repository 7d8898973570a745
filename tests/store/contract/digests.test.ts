// Contract: a digest's gathering, the same on SQLite and PostgreSQL: the stories ingested in a period (quiet ones
// left out), events and their sizes, keyword phrases with search's word forms (queueing: digest-queue.test.ts).

import { expect, it } from "vitest";
import type { DigestCandidate, DigestPayload } from "../../../src/store/digests.js";
import { apt40, digestRows, fixture, gather, HOUR, period, saveAt, T0, untagged } from "./digest-fixtures.js";
import { digestsOf, run } from "./seams.js";
import { contract } from "./stores.js";

contract("digests", ({ open }) => {
  it("gathers the stories ingested in [start, end), leaving quiet ones out", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    const first = await saveAt(store, f, 0, "/a.txt", "Hackers breached the port authority network.", apt40);
    const second = await saveAt(store, f, HOUR, "/b.txt", "A quiet morning at the harbour museum.", untagged);
    await saveAt(store, f, 2 * HOUR, "/c.txt", "Old feed item about a ransomware gang.", apt40, true);
    await saveAt(store, f, 24 * HOUR, "/d.txt", "Next day: the telescope array went offline.", apt40);
    await saveAt(store, f, -1, "/e.txt", "Just before: a lighthouse keeper retired.", apt40);
    let seen: DigestCandidate[] = [];
    const digests = digestsOf(store, f.clock);
    const result = await digests.queueDigest("k", (tx) => {
      seen = tx.ingestedBetween(period.start, period.end);
      return null;
    });
    expect(result).toBe("empty");
    expect(
      seen.map((c) => [c.rowid, c.event, c.cyber, c.actors.map((a) => a.id), c.countries, c.cves]),
    ).toEqual([
      [first, first, true, ["APT40"], [], []],
      [second, second, false, [], [], []],
    ]);
    expect(await digestRows(store)).toEqual([]);
  });

  it("counts each event's stories in all, and matches keyword phrases with search's word forms", async () => {
    const f = fixture();
    const store = await open({ clock: f.clock });
    const a = await saveAt(
      store,
      f,
      0,
      "/a.txt",
      "Hackers attacked the electoral commission overnight.",
      untagged,
    );
    await saveAt(store, f, HOUR, "/b.txt", "The commission said electoral rolls were safe.", untagged);
    const c = await saveAt(
      store,
      f,
      2 * HOUR,
      "/c.txt",
      "Electoral Commissions across Europe raised alarms.",
      untagged,
    );
    await saveAt(
      store,
      f,
      3 * HOUR,
      "/d.txt",
      "A feed's old item: electoral commission hacked.",
      untagged,
      true,
    );
    const late = await saveAt(
      store,
      f,
      30 * HOUR,
      "/e.txt",
      "Later: the electoral commission confirmed it.",
      untagged,
    );
    await run(store, `UPDATE stories SET event_rowid = ${a} WHERE rowid = ${late}`);
    const digests = digestsOf(store, f.clock);
    let found: Array<Set<number>> = [];
    let sizes = new Map<number, number>();
    await digests.queueDigest("probe", (tx) => {
      const ids = tx.ingestedBetween(0, T0 + 99 * HOUR).map((s) => s.rowid);
      found = [
        tx.withPhrase("electoral commission", ids),
        tx.withPhrase("?!", ids),
        tx.withPhrase("electoral", []),
      ];
      sizes = tx.eventSizes([a, c, 999]);
      return null;
    });
    expect(found).toEqual([new Set([a, c, late]), new Set(), new Set()]);
    expect(sizes).toEqual(
      new Map([
        [a, 2],
        [c, 1],
        [999, 0],
      ]),
    );
    expect(await digests.queueDigest("kw", gather("keyword:electoral commission"))).toBe("queued");
    const payload = JSON.parse((await digestRows(store))[0]?.payload ?? "{}") as DigestPayload;
    // a's event has two stories in all (one ingested after the period), c's one.
    expect([payload.events, payload.total]).toEqual([
      [
        [a, 2],
        [c, 1],
      ],
      2,
    ]);
  });
});
