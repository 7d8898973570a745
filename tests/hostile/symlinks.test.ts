// Symbolic links out of the seeds folder: `ln -s ../.env seeds/breaking-news.txt` must never become a story.
// Anything whose real path (every link resolved, linked folders included) lies outside the folder is refused,
// recorded as `outside-seeds`, and never opened, by the scan, by a watcher event and after a link is repointed;
// links that stay inside keep working; and a swap between the check and the open cannot smuggle a file in.

import {
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type FileAccess, nodeFileAccess, syncFileAccess } from "../../src/ingest/open.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { runCli } from "../helpers/cli.js";
import { ingestBed } from "../helpers/ingest.js";

const SECRET = "SLACK_BOT_TOKEN=xoxb-outside-secret";
const article = (n: number) =>
  `date 2024-05-0${n}\n\nHackers linked to APT40 struck agency number ${n}. The attack was found late.\n`;

function setup(files: FileAccess = nodeFileAccess) {
  const opened: string[] = [];
  const recording: FileAccess = {
    ...files,
    open: (path, flags) => {
      opened.push(path);
      return files.open(path, flags);
    },
  };
  const { dir, seeds, db, store, engine } = ingestBed({ files: recording });
  const outside = join(dir, "outside");
  mkdirSync(outside);
  writeFileSync(join(dir, ".env"), `${SECRET}\n`);
  writeFileSync(join(outside, "leak.txt"), `date 2024-05-09\n\nOutside story. ${SECRET}.\n`);
  return { dir, seeds, outside, db, store, engine, opened };
}

async function storedText(store: SqliteStoryStore): Promise<string> {
  const out: string[] = [];
  for (const s of (await store.latest(50)).stories) {
    const full = await store.getStory(s.id);
    out.push(`${full?.title}\n${full?.body}`);
  }
  return out.join("\n");
}

async function reasons(store: SqliteStoryStore, seeds: string) {
  return Object.fromEntries(
    (await store.rejections()).map((r) => [r.path.slice(seeds.length + 1), [r.reason, r.detail]]),
  );
}

describe("symbolic links out of the seeds folder", () => {
  it("are refused by the scan and never opened; links that stay inside keep working", async () => {
    const { dir, seeds, outside, db, store, engine, opened } = setup();
    symlinkSync("../.env", join(seeds, "breaking-news.txt"));
    symlinkSync(join(outside, "leak.txt"), join(seeds, "absolute.txt"));
    symlinkSync(outside, join(seeds, "linked-folder"));
    symlinkSync("/etc/passwd", join(seeds, "passwd.txt"));
    mkdirSync(join(seeds, "sub"));
    // A link inside that hops through a linked folder pointing outside.
    symlinkSync("../linked-folder/leak.txt", join(seeds, "sub", "hop.txt"));
    // Links that stay inside.
    writeFileSync(join(seeds, "real.txt"), article(1));
    mkdirSync(join(seeds, ".archive")); // a hidden folder is not walked itself, only through the link
    writeFileSync(join(seeds, ".archive", "old.txt"), article(2));
    symlinkSync("real.txt", join(seeds, "alias.txt"));
    symlinkSync(".archive", join(seeds, "archive-link"));

    const report = await engine.scan(seeds);
    expect(report).toMatchObject({ new: 2, rejected: 5 });
    const why = await reasons(store, seeds);
    for (const name of ["breaking-news.txt", "absolute.txt", "linked-folder", "passwd.txt", "sub/hop.txt"]) {
      expect(why[name]?.[0], name).toBe("outside-seeds");
      expect(why[name]?.[1], name).toMatch(/^links outside the seeds folder, to \//);
    }
    expect(why["breaking-news.txt"]?.[1]).toBe(`links outside the seeds folder, to ${join(dir, ".env")}`);
    expect(await storedText(store)).not.toContain("xoxb");
    expect(opened.filter((p) => !p.startsWith(seeds))).toEqual([]);
    // The inside links work: the alias and real.txt are one story, the linked folder's file is another.
    const ledger = await store.fileIndex();
    const pair = ["alias.txt", "real.txt"].map((n) => ledger.get(join(seeds, n))?.status);
    expect(pair.sort()).toEqual(["duplicate", "stored"]);
    expect(ledger.get(join(seeds, "archive-link", "old.txt"))?.status).toBe("stored");
    // A second scan reports nothing again.
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, rejected: 0 });
    await store.close();

    // `cyberbrief status` names the reason and where the link goes.
    const status = await runCli(["status", "--seeds", seeds, "--db", db]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      `breaking-news.txt: outside-seeds (links outside the seeds folder, to ${join(dir, ".env")})`,
    );
  });

  it("are refused when a watcher event names them, and when a link is repointed outside later", async () => {
    const { seeds, outside, store, engine, opened } = setup();
    // As the watcher does it: a path, with no scan first.
    symlinkSync("../.env", join(seeds, "breaking-news.txt"));
    expect(await engine.enqueue(join(seeds, "breaking-news.txt"))).toBe("rejected");

    // Accepted while it points inside...
    writeFileSync(join(seeds, "real.txt"), article(3));
    symlinkSync("real.txt", join(seeds, "moving.txt"));
    expect(await engine.scan(seeds)).toMatchObject({ new: 1, duplicate: 1 });
    // ...then repointed at a file outside: the scan refuses it,
    unlinkSync(join(seeds, "moving.txt"));
    symlinkSync(join(outside, "leak.txt"), join(seeds, "moving.txt"));
    expect(await engine.scan(seeds)).toMatchObject({ new: 0, updated: 0, rejected: 1 });
    // and so does a watcher event for it.
    writeFileSync(join(outside, "leak.txt"), `date 2024-05-09\n\nChanged outside. ${SECRET}.\n`);
    utimesSync(join(outside, "leak.txt"), new Date(), new Date(Date.now() + 5000));
    expect(await engine.enqueue(join(seeds, "moving.txt"))).toBe("rejected");
    const why = await reasons(store, seeds);
    expect(why["moving.txt"]?.[0]).toBe("outside-seeds");
    expect((await store.fileIndex()).get(join(seeds, "moving.txt"))?.status).toBe("rejected");
    expect(await storedText(store)).not.toContain("xoxb");
    expect(opened.some((p) => !p.startsWith(seeds))).toBe(false);
    await store.close();
  });

  it("cannot be smuggled in by swapping a folder for a link between the check and the open", async () => {
    const swapped: string[] = [];
    let box = "";
    let outsideBox = "";
    // An attacker who wins the race: right before the open, the checked folder becomes a link to a folder
    // outside holding a file of the same name.
    // The same race against the synchronous calls the analysis worker reads with (open.ts syncFileAccess).
    const racingWith = (base: FileAccess): FileAccess => ({
      ...base,
      open: async (path, flags) => {
        if (swapped.length === 0 && path.includes("/box/")) {
          swapped.push(path);
          renameSync(box, `${box}-moved`);
          symlinkSync(outsideBox, box);
        }
        return base.open(path, flags);
      },
    });
    for (const [racing, linuxCheck] of [nodeFileAccess, syncFileAccess].flatMap((base) =>
      [true, false].map((l) => [racingWith(base), l] as const),
    )) {
      swapped.length = 0;
      // Without /proc (other platforms) the check compares device and inode with the path resolved again.
      const files = linuxCheck ? racing : { ...racing, heldPath: async () => null };
      const { seeds, outside, store, engine, opened } = setup(files);
      box = join(seeds, "box");
      outsideBox = join(outside, "box");
      mkdirSync(box);
      mkdirSync(outsideBox);
      writeFileSync(join(box, "story.txt"), article(4));
      writeFileSync(join(outsideBox, "story.txt"), `date 2024-05-09\n\nSwapped in. ${SECRET}.\n`);
      await engine.scan(seeds);
      await engine.idle();
      expect(swapped).toHaveLength(1);
      expect(opened.length).toBeGreaterThan(0);
      expect(await storedText(store)).not.toContain("xoxb");
      expect((await reasons(store, seeds))["box/story.txt"]?.[0]).toBe("outside-seeds");
      await store.close();
    }
    expect(readFileSync(join(outsideBox, "story.txt"), "utf8")).toContain(SECRET);
  });
});
