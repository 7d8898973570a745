import { appendFileSync, mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestBed } from "../helpers/ingest.js";
import { START, scriptedTime } from "../helpers/time.js";

function setup(settleMs = 50, time?: ReturnType<typeof scriptedTime>) {
  return ingestBed({ settleMs, maxFileBytes: 10_000, ...(time && { clock: time.clock, sleep: time.sleep }) });
}

const story = (n: number) =>
  `date 2024-05-0${n} Hackers linked to APT40 struck agency number ${n}. The attack was discovered late.\n`;
const old = (path: string) => utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

describe("ingest", () => {
  it("stores new files once; a second run over the same folder stores nothing new", async () => {
    const { seeds, store, engine } = setup();
    writeFileSync(join(seeds, "a.txt"), story(1));
    writeFileSync(join(seeds, "b.md"), story(2));
    expect(await engine.scan(seeds)).toMatchObject({ new: 2, unchanged: 0, rejected: 0 });
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect((await store.stats()).stories).toBe(2);
    await store.close();
  });

  it("a renamed or copied file is the same story, not a new one", async () => {
    const { seeds, store, engine } = setup();
    writeFileSync(join(seeds, "a.txt"), story(1));
    await engine.scan(seeds);
    renameSync(join(seeds, "a.txt"), join(seeds, "renamed.txt"));
    writeFileSync(join(seeds, "copy.txt"), story(1));
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, duplicate: 2 });
    expect((await store.stats()).stories).toBe(1);
    await store.close();
  });

  it("an edited file becomes the next revision of its story, with its tags updated", async () => {
    const { seeds, store, engine } = setup();
    const file = join(seeds, "a.txt");
    writeFileSync(file, story(1));
    old(file);
    await engine.scan(seeds);
    writeFileSync(file, `${story(1)}\nNew Zealand's GCSB later confirmed the breach.\n`);
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, updated: 1 });
    const [only] = (await store.latest(5)).stories;
    expect(only?.revision).toBe(2);
    expect(only?.countries.map((c) => c.code)).toContain("NZ");
    expect((await store.stats()).stories).toBe(1);
    await store.close();
  });

  it("a touched but unchanged file is not a revision", async () => {
    const { seeds, store, engine } = setup();
    const file = join(seeds, "a.txt");
    writeFileSync(file, story(1));
    old(file);
    await engine.scan(seeds);
    utimesSync(file, new Date(), new Date());
    expect(await engine.scan(seeds)).toMatchObject({ updated: 0, unchanged: 1 });
    await store.close();
  });

  it("reads a slowly written file only once it is complete", async () => {
    // The writer appends every 100 ms, under the 300 ms settle window; time is scripted, so no real waiting.
    const time = scriptedTime();
    const { seeds, store, engine } = setup(300, time);
    const file = join(seeds, "slow.txt");
    const write = (t: number, text: string) => {
      appendFileSync(file, text);
      utimesSync(file, new Date(START + t), new Date(START + t));
    };
    write(0, "date 2024-05-01 First part of a long story about APT40.");
    for (let i = 0; i < 5; i++) time.at(100 * (i + 1), () => write(100 * (i + 1), ` More text ${i}.`));
    time.at(600, () => write(600, " The end.\n"));
    expect(await engine.scan(seeds)).toMatchObject({ new: 1 });
    await engine.idle();
    // Read once, after the last write had been still for the settle window.
    expect(time.elapsed()).toBeGreaterThanOrEqual(600 + 300);
    const stories = (await store.latest(5)).stories;
    expect(stories).toHaveLength(1);
    expect(stories[0]?.revision).toBe(1);
    const full = await store.getStory(stories[0]?.id ?? "");
    expect(full?.body.endsWith("The end.")).toBe(true);
    await store.close();
  });

  it("records every bad file with its reason, once, and goes on", async () => {
    const { seeds, store, engine } = setup();
    writeFileSync(join(seeds, "empty.txt"), "");
    writeFileSync(join(seeds, "binary.txt"), Buffer.from([0, 1, 2, 3, 255]));
    writeFileSync(join(seeds, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61]));
    writeFileSync(join(seeds, "huge.txt"), "x".repeat(20_000));
    writeFileSync(join(seeds, "photo.jpg"), "not an article");
    writeFileSync(join(seeds, "good.txt"), story(3));
    const { symlinkSync } = await import("node:fs");
    symlinkSync(join(seeds, "loop-b.txt"), join(seeds, "loop-a.txt"));
    symlinkSync(join(seeds, "loop-a.txt"), join(seeds, "loop-b.txt"));
    mkdirSync(join(seeds, "sub"));
    symlinkSync(seeds, join(seeds, "sub", "back-to-top"));
    const first = await engine.scan(seeds);
    expect(first.new).toBe(1);
    const reasons = Object.fromEntries(
      (await store.rejections()).map((r) => [r.path.slice(seeds.length + 1), r.reason]),
    );
    expect(reasons).toEqual({
      "empty.txt": "empty",
      "binary.txt": "binary",
      "latin1.txt": "invalid-utf8",
      "huge.txt": "too-large",
      "photo.jpg": "unsupported-type",
      "loop-a.txt": "symlink-loop",
      "loop-b.txt": "symlink-loop",
      "sub/back-to-top": "symlink-loop",
    });
    const second = await engine.scan(seeds);
    expect(second).toMatchObject({ new: 0, rejected: 0 });
    await store.close();
  });

  it("a file that vanishes before it is read is recorded, not fatal", async () => {
    const { seeds, store, engine } = setup(200);
    const file = join(seeds, "gone.txt");
    writeFileSync(file, story(4));
    const pending = engine.enqueue(file);
    const { rmSync } = await import("node:fs");
    rmSync(file);
    expect(await pending).toBe("gone");
    await engine.idle();
    expect((await store.stats()).stories).toBe(0);
    await store.close();
  });
});
