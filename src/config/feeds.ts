// config/feeds.yaml: the operator's feeds kept in a file (in git), read with `yaml` and checked with zod. A bad
// file is one line naming the file, the entry and the problem; a missing file is no feeds.

import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import * as z from "zod/mini";
import { CyberbriefError, errorMessage } from "../core/errors.js";
import { feedUrl, parseEvery } from "../core/feed-text.js";
import { DEFAULT_FEED_EVERY_MS, type FeedSpec } from "../core/feeds.js";

// Parsed once per file read: no compiled parsers, and the English messages (fields.ts sets both).
import "./fields.js";

const entrySchema = z.strictObject(
  {
    url: z
      .string({ error: "url: expected the feed's address as text" })
      .check(z.minLength(1, { error: "url is empty" })),
    name: z.optional(z.string({ error: "name: expected text" })),
    every: z.optional(
      z.union([z.string(), z.number()], { error: "every: expected an interval such as 15m" }),
    ),
    fullText: z.optional(z.boolean({ error: "fullText: expected true or false" })),
  },
  {
    error: (iss) => (iss.code === "unrecognized_keys" ? undefined : "expected url, name, every and fullText"),
  },
);

const EXAMPLE =
  "each entry is `- url: https://example.com/feed.xml` with optional name, every (15m) and fullText (true/false)";

/** The first line of a YAML error, with its position ("… at line 3, column 5"). */
const yamlProblem = (err: unknown): string =>
  errorMessage(err).split("\n")[0]?.replace(/:$/, "") ?? "not valid YAML";

function fail(file: string, problem: string): never {
  throw new CyberbriefError("config/feeds", `${file}: ${problem}`);
}

/** One entry as a FeedSpec, or one line saying what is wrong with it. */
function toSpec(value: unknown): FeedSpec | { problem: string } {
  const parsed = entrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === "unrecognized_keys")
      return { problem: `unknown key ${issue.keys.map((k) => `'${k}'`).join(", ")} (${EXAMPLE})` };
    return { problem: issue?.message ?? EXAMPLE };
  }
  const entry = parsed.data;
  const url = feedUrl(entry.url);
  if ("problem" in url) return url;
  let everyMs = DEFAULT_FEED_EVERY_MS;
  if (entry.every !== undefined) {
    const every = parseEvery(String(entry.every));
    if ("problem" in every) return { problem: `every: ${every.problem}` };
    everyMs = every.ms;
  }
  const name = entry.name?.trim() || null;
  return { url: url.url, name, everyMs, fullText: entry.fullText ?? false };
}

/** How an entry is named in a message: "entry 3 (https://…)". */
function entryName(index: number, value: unknown): string {
  const url = (value as { url?: unknown } | null)?.url;
  const shown = typeof url === "string" ? ` (${url.length > 80 ? `${url.slice(0, 80)}…` : url})` : "";
  return `entry ${index + 1}${shown}`;
}

/** Parse the text of a feeds file; `file` names it in errors. Throws a CyberbriefError (exit 2) when it is bad. */
export function parseFeedsFile(text: string, file: string): FeedSpec[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    fail(file, `not valid YAML: ${yamlProblem(err)}`);
  }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) fail(file, `expected a list of feeds; ${EXAMPLE} (see config/feeds.example.yaml)`);
  const specs: FeedSpec[] = [];
  const seen = new Map<string, number>();
  doc.forEach((value, index) => {
    const spec = toSpec(value);
    if ("problem" in spec) fail(file, `${entryName(index, value)}: ${spec.problem}`);
    const earlier = seen.get(spec.url);
    if (earlier !== undefined)
      fail(file, `${entryName(index, value)}: the same feed as entry ${earlier + 1}; list each feed once`);
    seen.set(spec.url, index);
    specs.push(spec);
  });
  return specs;
}

/** The feeds listed in `file`; a missing file is no feeds. */
export function readFeedsFile(file: string): FeedSpec[] {
  if (!existsSync(file)) return [];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    fail(file, `cannot read it: ${errorMessage(err)}`);
  }
  return parseFeedsFile(text, file);
}
