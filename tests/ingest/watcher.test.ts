// The folder watcher: one watch per folder (not per file), new files and folders picked up without a scan,
// and the system's watch limit answered by one warning and the scheduled scan.

import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { startIngestService } from "../../src/ingest/service.js";
import { type WatchFolder, watchFolder } from "../../src/ingest/watcher.js";
import { createLogger, silentLogger } from "../../src/log/logger.js";
import { ingestBed } from "../helpers/ingest.js";
import { waitFor } from "../helpers/tmp.js";

/** Never fires during a test: only the watcher (or an explicit scanNow) finds new files. */
const NEVER = "0 0 1 1 *";
const note = (n: number | string) => `date 2024-05-01\n\nShort note number ${n} about APT40.\n`;

/** inotify watches held by this process, from /proc (Linux): what max_user_watches limits. */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) !== "anon_inode:inotify") continue;
      const info = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8");
      n += info.split("\n").filter((l) => l.startsWith("inotify wd:")).length;
    } catch {
      // a descriptor closed while listing
    }
  }
  return n;
}

function setup() {
  const { seeds, store, engine } = ingestBed({ settleMs: 20 });
  const stored = async (path: string) => (await store.fileIndex()).get(path)?.status === "stored";
  return { seeds, store, engine, stored };
}

describe("the folder watcher", () => {
  it("holds one watch per folder, not per file, and still sees new files and folders", async () => {
    const { seeds, store, engine, stored } = setup();
    mkdirSync(join(seeds, "sub"));
    for (let i = 0; i < 2000; i++) writeFileSync(join(seeds, `note-${i}.txt`), note(i));
    writeFileSync(join(seeds, "sub", "one.txt"), note("sub"));
    const watched: string[] = [];
    const counting: WatchFolder = (d, listener) => {
      watched.push(d);
      return watchFolder(d, listener);
    };
    const before = inotifyWatches();
    const service = startIngestService({
      engine,
      seedsDir: seeds,
      scanCron: NEVER,
      watch: true,
      log: silentLogger(),
      watchFolder: counting,
    });
    try {
      expect(await service.ready).toMatchObject({ new: 2001 });
      // Two folders, two watches (chokidar held one per file as well).
      expect(inotifyWatches() - before).toBe(2);
      expect(watched.sort()).toEqual([seeds, join(seeds, "sub")]);
      expect(service.watchedFolders()).toBe(2);

      writeFileSync(join(seeds, "sub", "new.txt"), note("new"));
      await waitFor(() => stored(join(seeds, "sub", "new.txt")), 10_000, "the new file to be stored");
      // A folder created later is watched too (and what was written into it at once is found).
      mkdirSync(join(seeds, "later"));
      writeFileSync(join(seeds, "later", "first.txt"), note("first"));
      await waitFor(() => stored(join(seeds, "later", "first.txt")), 10_000, "the file in the new folder");
      await waitFor(() => service.watchedFolders() === 3, 10_000, "the new folder's watch");
      writeFileSync(join(seeds, "later", "second.txt"), note("second"));
      await waitFor(() => stored(join(seeds, "later", "second.txt")), 10_000, "a later file there");
      expect(inotifyWatches() - before).toBe(3);
    } finally {
      await service.stop();
      await store.close();
    }
  });

  it("a file written after the first scan listed the folder, while it is still storing, is picked up", async () => {
    // The window a replica hit at start-up: the walk has listed the folder, the scan is busy storing what it
    // found, and a new file lands. The folder was watched before it was listed, so the watch reports the file.
    let late = "";
    const bed = ingestBed({
      settleMs: 20,
      onProgress: (done) => {
        if (done === 0 && !late) {
          late = join(bed.seeds, "late.txt");
          writeFileSync(late, note("late"));
        }
      },
    });
    writeFileSync(join(bed.seeds, "early.txt"), note("early"));
    const service = startIngestService({
      engine: bed.engine,
      seedsDir: bed.seeds,
      scanCron: NEVER,
      watch: true,
      log: silentLogger(),
    });
    try {
      expect(await service.ready).toMatchObject({ new: 1 });
      expect(late).not.toBe("");
      await waitFor(
        async () => (await bed.store.fileIndex()).get(late)?.status === "stored",
        10_000,
        "the file written during the first scan",
      );
    } finally {
      await service.stop();
      await bed.store.close();
    }
  });

  it("at the system's watch limit warns once and goes on with the scheduled scan", async () => {
    const { seeds, store, engine, stored } = setup();
    for (const sub of ["a", "b", "c"]) {
      mkdirSync(join(seeds, sub));
      writeFileSync(join(seeds, sub, "x.txt"), note(sub));
    }
    let calls = 0;
    const limited: WatchFolder = (d, listener) => {
      if (++calls > 1) {
        throw Object.assign(
          new Error(`ENOSPC: System limit for number of file watchers reached, watch '${d}'`),
          {
            code: "ENOSPC",
          },
        );
      }
      return watchFolder(d, listener);
    };
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const service = startIngestService({
      engine,
      seedsDir: seeds,
      scanCron: NEVER,
      watch: true,
      log: createLogger({ level: "warn", destination: sink, pretty: false }),
      watchFolder: limited,
    });
    try {
      expect(await service.ready).toMatchObject({ new: 3 });
      expect(service.watchedFolders()).toBe(0);
      // New files are found by the scheduled scan (called here as its cron tick would).
      mkdirSync(join(seeds, "d"));
      writeFileSync(join(seeds, "d", "y.txt"), note("d"));
      writeFileSync(join(seeds, "z.txt"), note("z"));
      expect(await service.scanNow()).toMatchObject({ new: 2 });
      expect(await stored(join(seeds, "d", "y.txt"))).toBe(true);
      await service.scanNow();
      const warnings = lines.filter((l) => l.includes("file-watch limit"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("max_user_watches");
      expect(lines).toHaveLength(1);
    } finally {
      await service.stop();
      await store.close();
    }
  });
});
