// A file that grows between its last settle check and the read (the narrow window a writer can hit, which the
// CLI suite cannot aim at): a one-shot scan must still look at it again and account for it before `idle()`.

import { appendFileSync, realpathSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type FileAccess, nodeFileAccess } from "../../src/ingest/open.js";
import { ingestBed } from "../helpers/ingest.js";

// The engine opens files through this: a path in `growOnRead` gets a sentence appended just before it is opened.
const growOnRead = new Map<string, number>();
const growingFiles: FileAccess = {
  ...nodeFileAccess,
  open: (path, flags) => {
    const left = growOnRead.get(path);
    if (left) {
      growOnRead.set(path, left - 1);
      appendFileSync(path, " Another sentence arrived while the file was being read.");
    }
    return nodeFileAccess.open(path, flags);
  },
};

describe("a file that changes while it is read", () => {
  it("is read again once settled, and a one-shot scan waits for that second look", async () => {
    const { seeds, store, engine } = ingestBed({ files: growingFiles, settleMs: 30 });
    const paths = [0, 1, 2].map((i) => join(seeds, `growing-${i}.txt`));
    for (const [i, path] of paths.entries()) {
      writeFileSync(path, `date 2024-05-0${i + 1}\n\nHackers linked to APT40 struck agency ${i}.`);
      growOnRead.set(realpathSync(path), i + 1); // grows on its first i + 1 reads
      const old = new Date(Date.now() - 60_000);
      utimesSync(path, old, old);
    }
    writeFileSync(join(seeds, "steady.txt"), "date 2024-05-09\n\nA steady report about Volt Typhoon.");

    // As `cyberbrief ingest` does it: scan, wait for idle, stop.
    await engine.scan(seeds);
    await engine.idle();
    const ledger = await store.fileIndex();
    engine.stop();
    for (const path of paths) {
      expect(ledger.get(path)?.status).toBe("stored");
      expect(ledger.get(path)?.size).toBe(statSync(path).size);
    }
    expect(ledger.get(join(seeds, "steady.txt"))?.status).toBe("stored");
    expect((await store.stats()).stories).toBe(4);
    await store.close();
  });
});
