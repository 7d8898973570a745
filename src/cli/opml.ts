// `cyberbrief feed import FILE.opml`: the feeds of an OPML subscription list (what feed readers export), read
// with feedsmith; nested outlines (folders) are flattened and each outline with an xmlUrl is one feed.

import { readFileSync } from "node:fs";
import { parseOpml } from "feedsmith";
import { CyberbriefError, errorMessage } from "../core/errors.js";
import { feedUrl } from "../core/feed-text.js";
import type { FeedSpec, FeedStore } from "../core/feeds.js";
import { printable } from "./text.js";

interface Outline {
  text?: string;
  title?: string;
  xmlUrl?: string;
  outlines?: Outline[];
}

export interface OpmlFeed {
  /** The outline's xmlUrl as written. */
  xmlUrl: string;
  /** Its title, else its text; null when it has neither. */
  name: string | null;
}

/** Every outline with an xmlUrl, depth first, folders flattened. */
export function opmlFeeds(text: string, file: string): OpmlFeed[] {
  let doc: { body?: { outlines?: Outline[] } };
  try {
    doc = parseOpml(text) as typeof doc;
  } catch (err) {
    throw new CyberbriefError(
      "cli/bad-opml",
      `${file} is not an OPML file (${errorMessage(err)}); export your subscriptions from a feed reader as OPML`,
    );
  }
  const found: OpmlFeed[] = [];
  const walk = (outlines: Outline[] | undefined) => {
    for (const o of outlines ?? []) {
      if (typeof o.xmlUrl === "string" && o.xmlUrl.trim() !== "") {
        found.push({ xmlUrl: o.xmlUrl.trim(), name: o.title?.trim() || o.text?.trim() || null });
      }
      walk(o.outlines);
    }
  };
  walk(doc.body?.outlines);
  return found;
}

function readOpml(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new CyberbriefError("cli/bad-opml", `cannot read ${file}: ${errorMessage(err)}`);
  }
}

/** Adds each feed of the file; prints what was added, already present and refused. Returns the exit code. */
export async function importOpml(
  feeds: FeedStore,
  file: string,
  settings: Pick<FeedSpec, "everyMs" | "fullText">,
): Promise<number> {
  const listed = opmlFeeds(readOpml(file), file);
  if (listed.length === 0) {
    throw new CyberbriefError(
      "cli/bad-opml",
      `${file} lists no feeds (no outline has an xmlUrl); export your subscriptions from a feed reader as OPML`,
    );
  }
  let added = 0;
  let present = 0;
  const refused: string[] = [];
  for (const item of listed) {
    const url = feedUrl(item.xmlUrl);
    if ("problem" in url) {
      refused.push(url.problem);
      continue;
    }
    const { created } = await feeds.addFeed({ url: url.url, name: item.name, ...settings }, "cli", "cli");
    if (created) added++;
    else present++;
  }
  const lines = [`Imported ${file}: ${added} added, ${present} already present, ${refused.length} refused.`];
  for (const why of refused) lines.push(`  refused: ${why}`);
  if (added > 0)
    lines.push("Each new feed's first poll stores what it holds without alerting (its baseline).");
  process.stdout.write(`${lines.map(printable).join("\n")}\n`);
  return 0;
}
