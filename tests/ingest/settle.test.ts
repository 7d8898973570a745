// The settle rule on a scripted clock: a writer that pauses longer than settleMs is not read half-written when
// its last line is unfinished, a file that kept changing must stay still longer (capped), and a finished file
// without a final newline is still read. Time is the test's: the engine's sleeps move it, no real waiting.

import { appendFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeFileAccess } from "../../src/ingest/open.js";
import { CAP_FACTOR, UNFINISHED_FACTOR } from "../../src/ingest/settle.js";
import { ingestBed } from "../helpers/ingest.js";
import { START, scriptedTime } from "../helpers/time.js";

const SETTLE = 400;

function setup() {
  const time = scriptedTime();
  const stored: Array<{ at: number; kind: string; revision: number }> = [];
  const { seeds, store, engine } = ingestBed({
    clock: time.clock,
    sleep: time.sleep,
    settleMs: SETTLE,
    onStored: (_a, o) => stored.push({ at: time.elapsed(), kind: o.kind, revision: o.revision }),
  });
  const file = join(seeds, "slow.txt");
  /** What a writer does at scripted time t, and the watcher event it causes. */
  const write = (t: number, text: string, append = true) => {
    if (append) appendFileSync(file, text);
    else writeFileSync(file, text);
    utimesSync(file, new Date(START + t), new Date(START + t));
    void engine.enqueue(file);
  };
  const body = async () => (await store.getStory((await store.latest(1)).stories[0]?.id ?? ""))?.body;
  return { seeds, store, engine, time, stored, write, body };
}

describe("settling a file that is still being written", () => {
  it("an unfinished last line waits: the alert is the finished text, not 'Iranian hackers'", async () => {
    const { store, engine, time, stored, write, body } = setup();
    write(0, "date 2024-05-01\n\nIranian hackers", false);
    time.at(1200, () => write(1200, " linked to APT33 broke into a water utility in Texas.\n"));
    time.at(2400, () => write(2400, "\nOfficials said the intrusion was contained within a day.\n"));
    await engine.idle();
    expect(stored.map((s) => s.kind)).toEqual(["new"]);
    expect(stored[0]?.revision).toBe(1);
    expect(await body()).toContain("contained within a day.");
    // Read once the writer's pauses (1.2 s) had passed twice over after its last write.
    expect(stored[0]?.at).toBeGreaterThanOrEqual(2400 + 2 * 1200);
    await store.close();
  });

  it("a file that kept changing must stay still longer: one revision for a burst of edits", async () => {
    const { store, engine, time, stored, write, body } = setup();
    write(0, "date 2024-05-01\n\nIranian hackers broke into a water utility in Texas.\n", false);
    await engine.idle(); // complete lines: read after settleMs, as before
    expect(stored).toEqual([{ at: SETTLE, kind: "new", revision: 1 }]);
    time.set(1000);
    write(1000, "\nThe group is linked to APT33, officials said.\n");
    time.at(2000, () => write(2000, "\nIt used a password-spraying campaign.\n"));
    time.at(3000, () => write(3000, "\nThe utility restored service by the evening.\n"));
    await engine.idle();
    // Without the longer window each pause of a second (over 400 ms) would have made its own revision.
    expect(stored.map((s) => s.revision)).toEqual([1, 2]);
    expect(await body()).toContain("restored service by the evening.");
    await store.close();
  });

  it("the longer window is capped", async () => {
    const { store, engine, time, stored, write } = setup();
    write(0, "date 2024-05-01\n\nIranian hackers broke into a water utility in Texas.\n", false);
    await engine.idle();
    time.set(6000);
    write(6000, "\nThe group is linked to APT33, officials said.\n");
    await engine.idle();
    // Twice the 6 s gap would be 12 s; the cap is 25 x settleMs = 10 s.
    const cap = CAP_FACTOR * SETTLE;
    expect(stored[1]?.at).toBeGreaterThanOrEqual(6000 + cap);
    expect(stored[1]?.at).toBeLessThanOrEqual(6000 + cap + SETTLE);
    await store.close();
  });

  it("a finished file without a final newline is still read, after the unfinished-line window", async () => {
    const { seeds, store, engine, time, stored } = setup();
    writeFileSync(join(seeds, "fresh.txt"), "date 2024-05-01\n\nIranian hackers broke into a utility.");
    utimesSync(join(seeds, "fresh.txt"), new Date(START), new Date(START));
    expect(await engine.scan(seeds)).toMatchObject({ new: 1 });
    expect(time.elapsed()).toBeGreaterThanOrEqual(UNFINISHED_FACTOR * SETTLE);
    expect(time.elapsed()).toBeLessThan(CAP_FACTOR * SETTLE);
    // An old file without one is read at once.
    const before = time.elapsed();
    writeFileSync(join(seeds, "old.txt"), "date 2024-05-02\n\nVolt Typhoon hid in routers for years.");
    const old = new Date(START - 3_600_000);
    utimesSync(join(seeds, "old.txt"), old, old);
    expect(await engine.scan(seeds)).toMatchObject({ new: 1 });
    expect(time.elapsed()).toBe(before);
    expect(stored).toHaveLength(2);
    await store.close();
  });
});

describe("settling the files a scan found", () => {
  it("starts from the size and mtime the walk just took: no second stat per file", async () => {
    const statted: string[] = [];
    const files = {
      ...nodeFileAccess,
      stat: (path: string) => {
        statted.push(path);
        return nodeFileAccess.stat(path);
      },
    };
    const { seeds, store, engine } = ingestBed({ files });
    for (let i = 0; i < 3; i++)
      writeFileSync(join(seeds, `s${i}.txt`), `date 2024-05-01\n\nAPT40 breached network number ${i}.\n`);
    expect(await engine.scan(seeds)).toMatchObject({ new: 3 });
    expect(statted).toEqual([]);
    await store.close();
  });
});
