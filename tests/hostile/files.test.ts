// Hostile article files: over 1,000 generated (seeded, so the same set every run) into a temp seeds folder,
// then the real `cyberbrief ingest --json`. It must exit 0 and account for every file exactly once: stored
// (the ledger says stored or duplicate) or rejected with a reason. A second run finds nothing new and logs
// nothing again.
//
// What is generated, and what each must become:
//   valid articles (the control group), weird names (spaces, newlines, tabs, RTL override, zero-width, quotes,
//   shell and SQL syntax, CJK/Arabic/Cyrillic/Devanagari/emoji, NFC and NFD twins, 250-byte names), copies
//   (duplicates), 100,000-character lines, files in 40 nested folders             -> stored or duplicate
//   empty, whitespace-only, BOM-only                                               -> rejected: empty
//   random bytes                                                                   -> rejected: binary / invalid-utf8
//   NUL bytes, UTF-16 text, control-character soup                                -> rejected: binary
//   bad UTF-8 (stray, overlong, surrogate, truncated, > U+10FFFF, Latin-1)         -> rejected: invalid-utf8
//   over the 5 MB limit (one real, two sparse)                                     -> rejected: too-large
//   broken or non-map YAML front matter, alias bombs, 5,000-deep nesting          -> rejected: bad-front-matter
//   unsupported extensions                                                         -> rejected: unsupported-type
//   symlinks to themselves, to each other, to an ancestor folder                   -> rejected: symlink-loop
//   broken symlinks, names that are not valid UTF-8, a FIFO                        -> rejected: unreadable
//   a link to /dev/zero (outside the seeds folder)                                  -> rejected: outside-seeds
//   a folder 65 levels deep (over the scanner's 64)                                -> rejected: unreadable (the
//     folder itself; the files below it are accounted for by that one rejection, not one by one)
//   files a writer keeps appending to (or rewriting) while ingest runs             -> their final content, stored
//     with the final size (or rejected, for the two whose last write makes them invalid)
//   odd-but-valid text (CR-only lines, U+2028, zero-width only, headings only, ANSI escapes...) -> either way
// Ignored names (dotfiles, `~` backups, .tmp/.part/.swp, `#autosave#`, files inside a dot-folder) are not
// articles and not problems: they must NOT appear in the ledger. They are the only generated paths not accounted.

import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RejectReason } from "../../src/core/reject.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { runCli, startCli } from "../helpers/cli.js";
import { tempDir, waitFor } from "../helpers/tmp.js";
import { article, type Random, seededRandom, sentence } from "./random.js";

const SEED = 0x5eed_f11e;
const LIMIT = 5 * 1024 * 1024; // config/default.json ingest.maxFileBytes

type Expect =
  | { want: "stored" }
  | { want: "rejected"; reasons: readonly RejectReason[] }
  /** Odd but not wrong either way: stored or rejected, as long as it is one of them. */
  | { want: "either" };

const STORED: Expect = { want: "stored" };
const EITHER: Expect = { want: "either" };
const rejected = (...reasons: RejectReason[]): Expect => ({ want: "rejected", reasons });

type ScanCounts = Record<"new" | "updated" | "unchanged" | "duplicate" | "rejected", number>;

interface Writer {
  path: string;
  /** Appends or rewrites until `stop.at` (set later), then leaves the file in its final state. */
  run: (stop: { at: number }) => Promise<void>;
}

interface Plan {
  expected: Map<string, Expect>;
  ignored: string[];
  writers: Writer[];
  /** Generated files that are hostile (everything but the valid control group). */
  hostile: number;
}

const WEIRD_NAMES = [
  "name with spaces.txt",
  "  leading spaces.txt",
  "trailing space .txt",
  "line\nbreak.txt",
  "two\n\nbreaks.md",
  "tab\there.txt",
  "carriage\rreturn.md",
  "-dash.txt",
  "--help.txt",
  "$(rm -rf ~).txt",
  "`id`.txt",
  "'; DROP TABLE files;--.txt",
  "Robert'); DROP TABLE stories;--.md",
  "%s%n%x.txt",
  "a\\b\\c.txt",
  'quote"d.txt',
  "<script>alert(1)</script>.md",
  "@everyone.txt",
  "<!channel>.txt",
  "CON.txt",
  "nul.txt",
  "\u202eevil\u202dtxt.md",
  "zero\u200bwidth.txt",
  "joiner\u2060word.txt",
  "emoji 🛰️ report.txt",
  "🕵️‍♂️.md",
  "Новости кибербезопасности.txt",
  "网络安全 报道.md",
  "خبر عاجل.txt",
  "समाचार.txt",
  "ｆｕｌｌｗｉｄｔｈ.txt",
  "cafe\u0301.txt", // NFD
  "caf\u00e9.txt", // NFC: a different name on disk
  "*.txt",
  "?.txt",
  "[x].txt",
  "{a,b}.md",
  "no-extension",
  "UPPER.TXT",
  "Mixed.MarkDown",
  "notes.text",
  `${"a".repeat(250)}.txt`,
  `${"长".repeat(82)}.txt`,
];

const IGNORED_NAMES = [
  ".hidden.txt",
  ".env",
  "draft.txt~",
  "upload.tmp",
  "download.part",
  "big.crdownload",
  ".notes.txt.swp",
  "x.swx",
  "#autosave#",
  "#draft.txt",
  "file.TEMP",
  "f.partial",
  "d.download",
];

const UNSUPPORTED = [".pdf", ".exe", ".docx", ".html", ".json", ".txt.gz", ".zip", ".png", ".csv", ".rtf"];

/** Bad UTF-8 sequences; none contains a NUL, so each file must be called invalid-utf8, not binary. */
const BAD_UTF8 = [
  [0xff],
  [0xfe],
  [0x80],
  [0xbf, 0xbf],
  [0xc0, 0xaf], // overlong '/'
  [0xe0, 0x80, 0xaf], // overlong
  [0xed, 0xa0, 0x80], // UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
  [0xc3], // truncated two-byte sequence (followed by ASCII)
  [0xe2, 0x82], // truncated three-byte sequence
];

function buildPlan(root: string, r: Random): Plan {
  const expected = new Map<string, Expect>();
  const ignored: string[] = [];
  const writers: Writer[] = [];
  let hostile = 0;
  let n = 0;
  const tag = () => `t${(++n).toString(36)}x${r.int(0, 1e9).toString(36)}`;
  const put = (path: string, data: string | Buffer, want: Expect, isHostile = true) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    expected.set(path, want);
    if (isHostile) hostile++;
  };
  const valid = () => article(r, tag());

  // The control group, and sources for copies.
  const originals: string[] = [];
  for (let i = 0; i < 120; i++) {
    const text = valid();
    originals.push(text);
    put(join(root, "valid", `article-${i}.txt`), text, STORED, false);
  }
  // Copies under other names, and in other folders: duplicates of a stored story.
  for (let i = 0; i < 40; i++) put(join(root, "copies", `copy ${i}.md`), r.pick(originals), STORED);

  for (let i = 0; i < 280; i++)
    put(join(root, "random", `bytes-${i}.txt`), r.bytes(r.int(64, 8192)), rejected("binary", "invalid-utf8"));
  for (let i = 0; i < 20; i++) put(join(root, "random", `tiny-${i}`), r.bytes(r.int(1, 12)), EITHER);

  for (let i = 0; i < 40; i++) put(join(root, "empty", `empty-${i}.txt`), "", rejected("empty"));
  const blanks = [" ", "\t", "\n", "\r\n", "\f", "\u00a0", "\u2028", "\u3000", "\ufeff"];
  for (let i = 0; i < 30; i++) {
    const text = Array.from({ length: r.int(1, 5000) }, () => r.pick(blanks)).join("");
    put(join(root, "empty", `blank-${i}.md`), text, rejected("empty"));
  }
  put(join(root, "empty", "bom-only.txt"), "\ufeff", rejected("empty"));
  put(join(root, "empty", "newlines.txt"), "\n".repeat(100_000), rejected("empty"));

  for (let i = 0; i < 170; i++) {
    const text = Buffer.from(valid());
    const bad = Buffer.from(r.pick(BAD_UTF8));
    const at = r.int(0, text.length);
    put(
      join(root, "bad-utf8", `bad-${i}.txt`),
      Buffer.concat([text.subarray(0, at), bad, text.subarray(at)]),
      rejected("invalid-utf8"),
    );
  }
  put(
    join(root, "bad-utf8", "latin1.txt"),
    Buffer.from(`${valid()} caf\u00e9 na\u00efve`, "latin1"),
    rejected("invalid-utf8"),
  );
  put(
    join(root, "bad-utf8", "cp1252-quotes.txt"),
    Buffer.concat([Buffer.from(valid()), Buffer.from([0x93, 0x94])]),
    rejected("invalid-utf8"),
  );

  for (let i = 0; i < 100; i++) {
    const text = Buffer.from(valid());
    const at = r.int(0, text.length);
    const nuls = Buffer.alloc(r.int(1, 3));
    put(
      join(root, "nul", `nul-${i}.txt`),
      Buffer.concat([text.subarray(0, at), nuls, text.subarray(at)]),
      rejected("binary"),
    );
  }
  put(
    join(root, "nul", "utf16le.txt"),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid(), "utf16le")]),
    rejected("binary", "invalid-utf8"),
  );
  put(
    join(root, "nul", "utf16be.txt"),
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(valid(), "utf16le").swap16()]),
    rejected("binary", "invalid-utf8"),
  );
  for (let i = 0; i < 30; i++) {
    // Well over 1% control characters: terminal escapes, bells, backspaces.
    const soup = Array.from({ length: r.int(20, 400) }, () =>
      r.pick(["\x1b[2J", "\x07", "\x08", "\x1b]0;pwned\x07", "\x01", "\x7f", "text "]),
    ).join("");
    put(join(root, "control", `soup-${i}.txt`), soup, rejected("binary"));
  }

  // Over the size limit: one with real text, two sparse (cheap to make, never read).
  const big = sentence(r).repeat(Math.ceil((LIMIT + 1) / 40));
  put(join(root, "huge", "over-limit.txt"), big.slice(0, LIMIT + 1), rejected("too-large"));
  for (const [name, size] of [
    ["sparse-6mb.txt", 6 * 1024 * 1024],
    ["sparse-1gb.md", 1024 * 1024 * 1024],
  ] as const) {
    put(join(root, "huge", name), "", rejected("too-large"));
    truncateSync(join(root, "huge", name), size);
  }

  // 100,000-character lines of several kinds.
  const longLines: Array<() => string> = [
    () =>
      Array.from({ length: 9000 }, () => r.pick(["APT40", "network", "China", "espionage", "x"])).join(" "),
    () => "A".repeat(100_000),
    () => "网络间谍活动".repeat(17_000),
    () => "🛰️".repeat(34_000),
    () => `Zalgo ${"e\u0301\u0302\u0303\u0304\u0305".repeat(17_000)}`,
    () => `\u202e${sentence(r).repeat(2500)}`,
    () => `${"Kryptonite Panda hackers from New Zealand, ".repeat(2400)}end.`,
    () => "https://example.org/".concat("a/".repeat(50_000)),
  ];
  for (let i = 0; i < 24; i++) {
    const line = longLines[i % longLines.length]?.() ?? "";
    put(
      join(root, "long", `line-${i}.txt`),
      `date 2024-01-0${(i % 9) + 1}\n\n${line.slice(0, 100_000)} ${tag()}\n`,
      STORED,
    );
  }

  // Front matter that must not crash the parser.
  const bomb = [
    "a: &a [x, x, x, x, x, x, x, x, x]",
    ...Array.from({ length: 12 }, (_, k) => {
      const prev = String.fromCharCode(97 + k);
      const name = String.fromCharCode(98 + k);
      return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
    }),
  ].join("\n");
  const frontMatters: Array<[string, Expect]> = [
    ["title: [unclosed\n", rejected("bad-front-matter")],
    ["- a list\n- not a map", rejected("bad-front-matter")],
    ["just a scalar", rejected("bad-front-matter")],
    ["title: x\ntitle: y", rejected("bad-front-matter")],
    ["\ttitle: tab-indented", rejected("bad-front-matter")],
    [bomb, rejected("bad-front-matter")],
    ["[".repeat(5000) + "]".repeat(5000), rejected("bad-front-matter")],
    ["{".repeat(2000) + "}".repeat(2000), rejected("bad-front-matter")],
    [`title: ${"T".repeat(100_000)}`, STORED],
    ["title: x\ndate: 9999-99-99", STORED],
    ["title: x\ndate: 2024-02-30", STORED],
    ["title: x\nurl: javascript:alert(1)", STORED],
    ["title: <!channel> @everyone\nsource: <@123>", STORED],
    ["title: !!js/function 'function(){}'", EITHER],
    ["title: !!binary aGVsbG8=", EITHER],
    ["date: 2024-01-01T25:61:61Z", STORED],
    ["? complex key\n: value", STORED],
    ["title: 1e999", STORED],
    ["", EITHER],
  ];
  for (const [i, [meta, want]] of frontMatters.entries()) {
    put(join(root, "front", `fm-${i}.md`), `---\n${meta}\n---\n${sentence(r)} ${tag()}\n`, want);
  }
  put(join(root, "front", "only-front.md"), "---\ntitle: nothing below\n---\n", rejected("no-text"));
  put(join(root, "front", "only-dashes.md"), "---\n---\n", EITHER);

  for (const [i, ext] of UNSUPPORTED.entries()) {
    for (let k = 0; k < 4; k++)
      put(join(root, "types", `doc-${i}-${k}${ext}`), valid(), rejected("unsupported-type"));
  }
  // A trailing dot is an extension of its own ("."), not .txt.
  put(join(root, "types", "ends with dot.txt."), valid(), rejected("unsupported-type"));

  for (const [i, name] of WEIRD_NAMES.entries()) {
    put(join(root, "names", name), valid(), STORED);
    put(join(root, "names", `sub ${i} ✓`, name), i % 3 === 0 ? r.pick(originals) : valid(), STORED);
  }

  // Deep nesting: a file on each of 40 levels, with odd folder names.
  const parts = ["deep", "dé", "深", " s p a c e ", "-x", "\u200b", "$HOME", "dots..", "ü"];
  let deep = join(root, "nest");
  for (let level = 1; level <= 40; level++) {
    deep = join(deep, `${r.pick(parts)}${level}`);
    put(join(deep, `level-${level}.txt`), valid(), STORED);
  }
  // Deeper than the scanner goes (64): the folder at level 65 is rejected, and stands for everything below it.
  let tooDeep = root;
  for (let level = 1; level <= 70; level++) {
    tooDeep = join(tooDeep, `d${level}`);
    mkdirSync(tooDeep, { recursive: true });
    if (level === 65) expected.set(tooDeep, rejected("unreadable"));
    if (level >= 60 && level <= 64) put(join(tooDeep, `at-${level}.txt`), valid(), STORED);
    if (level > 65) writeFileSync(join(tooDeep, `below-limit-${level}.txt`), valid());
  }

  // Symbolic links: loops, dangling, to files, to a device.
  const links = join(root, "links");
  mkdirSync(links, { recursive: true });
  const link = (target: string, name: string, want: Expect) => {
    symlinkSync(target, join(links, name));
    expected.set(join(links, name), want);
    hostile++;
  };
  for (let i = 0; i < 5; i++) link(`self-${i}.txt`, `self-${i}.txt`, rejected("symlink-loop"));
  for (let i = 0; i < 5; i++) {
    link(`pong-${i}.txt`, `ping-${i}.txt`, rejected("symlink-loop"));
    link(`ping-${i}.txt`, `pong-${i}.txt`, rejected("symlink-loop"));
  }
  link("..", "up", rejected("symlink-loop"));
  link(root, "root", rejected("symlink-loop"));
  link(".", "here", rejected("symlink-loop"));
  for (let i = 0; i < 5; i++) link(`missing-${i}.txt`, `dangling-${i}.txt`, rejected("unreadable"));
  for (let i = 0; i < 10; i++) link(join(root, "valid", `article-${i}.txt`), `to-valid-${i}.txt`, STORED);
  link("/dev/zero", "zero.txt", rejected("outside-seeds"));
  const fifo = join(root, "special", "pipe.txt");
  mkdirSync(dirname(fifo), { recursive: true });
  execFileSync("mkfifo", [fifo]);
  expected.set(fifo, rejected("unreadable"));
  hostile++;

  // Names that are not valid UTF-8: Node lists them with U+FFFD, a path that cannot be opened.
  const rawDir = Buffer.from(join(root, "raw-names"));
  mkdirSync(rawDir, { recursive: true });
  for (const [i, bytes] of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80, 0x80], [0xfe, 0x41]].entries()) {
    const name = Buffer.concat([Buffer.from(`raw-${i}-`), Buffer.from(bytes), Buffer.from(".txt")]);
    writeFileSync(Buffer.concat([rawDir, Buffer.from("/"), name]), valid());
    expected.set(join(root, "raw-names", name.toString("utf8")), rejected("unreadable"));
    hostile++;
  }

  for (const [i, name] of IGNORED_NAMES.entries()) {
    const path = join(root, "ignored", `${i}`, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, valid());
    ignored.push(path);
  }
  for (let i = 0; i < 5; i++) {
    const path = join(root, ".git", "objects", `obj-${i}.txt`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, valid());
    ignored.push(path);
  }

  // Odd but valid text: either outcome is fine, but it must be one of them.
  const odd = [
    () => valid().replace(/\n/g, "\r"),
    () => valid().replace(/\n/g, "\r\n"),
    () => valid().replace(/\n/g, "\u2028"),
    () => valid().replace(/ /g, "\f"),
    () => "\u200b\u200c\u200d",
    () => "# Heading\n\n## Another\n\n### Third",
    () => "🙂🙃🙂",
    () => "a",
    () => `${"\n".repeat(10_000)}${sentence(r)}`,
    () => `<html><body><script>alert(1)</script>${sentence(r)}</body></html>`,
    () => `| a | b |\n|---|---|\n| ${sentence(r)} | x |`,
    () => `${sentence(r)} \x1b[31mred\x1b[0m ${"word ".repeat(400)}`,
    () => `date 2024-13-45\n\n${sentence(r)}`,
    () => `date 0000-00-00 ${sentence(r)}`,
    () => `${"@everyone <!channel> <@123> <@&456> ".repeat(50)}${sentence(r)}`,
    () => `SELECT * FROM stories; -- ${sentence(r)} "unbalanced NEAR( * OR`,
  ];
  for (let i = 0; i < 48; i++)
    put(join(root, "odd", `odd-${i}.txt`), `${odd[i % odd.length]?.() ?? ""} ${i}`, EITHER);

  // Files that change while ingest runs: appended to, or rewritten, until told to stop.
  const live = join(root, "live");
  mkdirSync(live, { recursive: true });
  for (let i = 0; i < 12; i++) {
    const path = join(live, `growing-${i}.txt`);
    const mode = i < 6 ? "append" : i < 10 ? "rewrite" : "spoil";
    put(
      path,
      `date 2024-05-0${(i % 9) + 1}\n\nLive report ${tag()}\n\n`,
      mode === "spoil" ? rejected("invalid-utf8") : STORED,
    );
    const wr = seededRandom(SEED + i);
    writers.push({
      path,
      run: async (stop) => {
        let round = 0;
        while (Date.now() < stop.at) {
          round++;
          if (mode === "rewrite") {
            writeFileSync(
              path,
              `date 2024-06-0${(i % 9) + 1}\n\nRewritten ${i} round ${round}\n\n${sentence(wr).repeat(wr.int(1, 40))}\n`,
            );
          } else appendFileSync(path, `${sentence(wr)} `);
          await new Promise((done) => setTimeout(done, wr.int(5, 40)));
        }
        if (mode === "spoil") appendFileSync(path, Buffer.from([0xff, 0xfe]));
      },
    });
  }
  return { expected, ignored, writers, hostile };
}

describe("hostile article files", () => {
  it("ingest accounts for 1,000+ hostile files exactly once, exits 0, and a second run changes nothing", async () => {
    const dir = tempDir("cyberbrief-hostile-files-");
    const seeds = join(dir, "seeds");
    const db = join(dir, "store.db");
    mkdirSync(seeds);
    const plan = buildPlan(seeds, seededRandom(SEED));
    expect(plan.hostile).toBeGreaterThanOrEqual(1000);

    // First run: the writers start before it and stop 600 ms after the scan is seen to be under way (its first
    // rejection is logged), so their files change before and while ingest looks at them.
    const stop = { at: Number.POSITIVE_INFINITY };
    const writing = Promise.all(plan.writers.map((w) => w.run(stop)));
    const first = startCli(["ingest", "--json", "--seeds", seeds, "--db", db, "--log-level", "warn"]);
    try {
      await waitFor(() => first.out.stderr.includes("rejected article file"), 30_000, "the scan to start");
    } finally {
      stop.at = Date.now() + 600;
    }
    await writing;
    expect(first.child.exitCode).toBeNull(); // the writers wrote while ingest ran, not after it
    const code = await first.exited;
    expect(first.out.stderr).not.toMatch(/"level":(50|60)/); // no error or fatal log lines
    expect(code).toBe(0);
    const report = JSON.parse(first.out.stdout) as ScanCounts;

    const store = new SqliteStoryStore(db, { readonly: true });
    try {
      const ledger = await store.fileIndex();
      const rejections = new Map((await store.rejections()).map((x) => [x.path, x]));
      const problems: string[] = [];
      for (const [path, want] of plan.expected) {
        const row = ledger.get(path);
        const why = rejections.get(path);
        const name = JSON.stringify(path.slice(seeds.length));
        if (!row) {
          problems.push(`${name}: not in the ledger`);
          continue;
        }
        if (row.status === "rejected") {
          if (!why?.detail) problems.push(`${name}: rejected without a recorded reason`);
          else if (want.want === "stored") problems.push(`${name}: rejected (${why.reason}: ${why.detail})`);
          else if (want.want === "rejected" && !want.reasons.includes(why.reason))
            problems.push(`${name}: rejected as ${why.reason} (${why.detail}), expected ${want.reasons}`);
        } else {
          if (why) problems.push(`${name}: ${row.status} but also listed as rejected`);
          if (!row.storyId) problems.push(`${name}: ${row.status} without a story`);
          if (want.want === "rejected") problems.push(`${name}: ${row.status}, expected ${want.reasons}`);
        }
      }
      for (const path of plan.ignored)
        if (ledger.has(path)) problems.push(`${path}: ignored name in the ledger`);
      for (const path of ledger.keys())
        if (!plan.expected.has(path))
          problems.push(`${JSON.stringify(path)}: in the ledger but never generated`);
      for (const path of rejections.keys())
        if (ledger.get(path)?.status !== "rejected")
          problems.push(`${path}: a rejection without a ledger row`);
      expect(problems).toEqual([]);

      // The changing files were stored as they finally are, never half-written.
      for (const w of plan.writers) expect(ledger.get(w.path)?.size).toBe(statSync(w.path).size);

      // The counts add up: every generated path is one of new, duplicate or rejected in the first scan.
      const rows = [...ledger.values()];
      const count = (s: string) => rows.filter((x) => x.status === s).length;
      expect(ledger.size).toBe(plan.expected.size);
      expect(count("stored") + count("duplicate") + count("rejected")).toBe(plan.expected.size);
      expect(report.new + report.duplicate + report.rejected).toBe(plan.expected.size);
      expect(report.updated).toBe(0);
      const stats = await store.stats();
      expect(stats.stories).toBe(count("stored"));
      expect(stats.rejected).toBe(count("rejected"));
      const stories = new Set(rows.filter((x) => x.status === "stored").map((x) => x.storyId));
      expect(stories.size).toBe(count("stored"));
      for (const x of rows.filter((x) => x.status === "duplicate")) expect(stories.has(x.storyId)).toBe(true);
    } finally {
      await store.close();
    }

    // `status --json` copes with every name and reports the same rejections.
    const status = await runCli(["status", "--json", "--seeds", seeds, "--db", db]);
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout) as { rejections: Array<{ path: string; reason: string }> };
    const before = await snapshot(db);
    expect(shown.rejections.map((x) => x.path).sort()).toEqual(before.rejections.map((x) => x.path).sort());

    // Second run: nothing new, nothing updated, nothing rejected again, nothing logged again.
    const second = await runCli(["ingest", "--json", "--seeds", seeds, "--db", db, "--log-level", "info"]);
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout) as ScanCounts;
    expect({ ...again, unchanged: 0, ms: 0 }).toMatchObject({
      new: 0,
      updated: 0,
      duplicate: 0,
      rejected: 0,
    });
    expect(again.unchanged).toBeGreaterThan(0);
    expect(second.stderr).not.toContain("rejected article file");
    expect(second.stderr).not.toContain("stored new story");
    expect(await snapshot(db)).toEqual(before);
  }, 120_000);
});

async function snapshot(db: string) {
  const store = new SqliteStoryStore(db, { readonly: true });
  try {
    const stats = await store.stats();
    return {
      ledger: [...(await store.fileIndex()).values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
      rejections: await store.rejections(),
      stories: stats.stories,
      revisions: stats.revisions,
    };
  } finally {
    await store.close();
  }
}
