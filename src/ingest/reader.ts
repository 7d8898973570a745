// Reads one article file (seed format, Markdown with front matter, or plain text) into an Article.

import { parse as parseYaml } from "yaml";
import type { Article, Block } from "../core/article.js";
import { articleText, collapse } from "../core/article-text.js";
import { isBoilerplate } from "../core/boilerplate.js";
import type { RejectReason } from "../core/reject.js";
import type { FileFacts } from "../core/story.js";
import { type DecodeFailure, decodeText } from "./text.js";

export interface Rejected {
  rejected: RejectReason;
  detail: string;
}

/** What the reader needs of the file: its path (for the title and type) and mtime (when no date is given). */
export type ReadFacts = Pick<FileFacts, "path" | "mtimeMs">;

const SEED_DATE = /^date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*/i;
const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const TITLE_LINE = /^(?:title:\s*|#\s+)(.+)$/i;
const END_PUNCT = /[.!?;:,"'”’)\]…]$/u;

/** A short single line without end punctuation is a section heading. */
export function isHeading(line: string): boolean {
  return line.length > 0 && line.length <= 100 && line.split(" ").length <= 14 && !END_PUNCT.test(line);
}

function validDate(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== m[0]) return null;
  return m[0];
}

function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of text.split(/\r?\n[ \t]*\r?\n/)) {
    const lines = raw.split(/\r?\n/).map((l) => l.trim());
    const md = lines.length === 1 ? /^#{1,6}\s+(.+)$/.exec(lines[0] ?? "") : null;
    const text = collapse(md ? (md[1] ?? "") : lines.join(" "));
    if (!text) continue;
    const heading = md !== null || (lines.filter(Boolean).length === 1 && isHeading(text));
    blocks.push({ kind: heading ? "heading" : "paragraph", text });
  }
  return blocks;
}

/** Deeper flow collections than this are refused unread: the YAML parser's time grows exponentially with them. */
const MAX_FLOW_DEPTH = 32;

/**
 * How deep `[`…`]` and `{`…`}` nest in YAML text. Brackets inside quotes and comments count too: telling them
 * apart would take the parser this guards, and a title with 33 nested brackets is no loss.
 */
export function flowDepth(yaml: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < yaml.length; i++) {
    const c = yaml.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

function frontMatter(text: string): { meta: Record<string, unknown>; rest: string } | Rejected | null {
  const m = FRONT_MATTER.exec(text);
  if (!m) return null;
  if (flowDepth(m[1] ?? "") > MAX_FLOW_DEPTH) {
    return {
      rejected: "bad-front-matter",
      detail: `front matter nests [ ] or { } deeper than ${MAX_FLOW_DEPTH} levels; use plain key: value lines`,
    };
  }
  try {
    const meta = parseYaml(m[1] ?? "") ?? {};
    if (typeof meta !== "object" || Array.isArray(meta)) {
      return { rejected: "bad-front-matter", detail: "front matter is not a key: value map" };
    }
    return { meta: meta as Record<string, unknown>, rest: text.slice(m[0].length) };
  } catch (err) {
    return {
      rejected: "bad-front-matter",
      detail: `front matter is not valid YAML: ${(err as Error).message.split("\n")[0]}`,
    };
  }
}

const str = (v: unknown): string | null => {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString();
  return typeof v === "string" || typeof v === "number" ? collapse(String(v)) || null : null;
};

/** Parse decoded, normalised text. Pure: the file's mtime is passed in for undated articles. */
export function parseArticle(text: string, file: ReadFacts): Article | Rejected {
  let body = text.replace(/^\uFEFF/, "");
  let title: string | null = null;
  let date: string | null = null;
  let url: string | null = null;
  let source: string | null = null;

  const fm = frontMatter(body);
  if (fm && "rejected" in fm) return fm;
  if (fm) {
    body = fm.rest;
    title = str(fm.meta.title);
    const d = str(fm.meta.date);
    date = d ? validDate(d) : null;
    url = str(fm.meta.url);
    source = str(fm.meta.source);
  }

  body = body.replace(/^\s+/, "");
  const seed = SEED_DATE.exec(body);
  if (seed) {
    date = date ?? validDate(seed[1] ?? "");
    body = body.slice(seed[0].length);
  }

  if (!title) {
    const nl = body.indexOf("\n");
    const line = TITLE_LINE.exec((nl === -1 ? body : body.slice(0, nl)).trim());
    if (line && nl !== -1 && body.slice(nl).trim()) {
      title = collapse(line[1] ?? "");
      body = body.slice(nl + 1);
    }
  }
  let blocks = splitBlocks(body);
  // A byline or credit line on its own ("By Jane Doe") is neither the title nor a heading: it goes.
  while (blocks.length > 1 && blocks[0]?.kind === "heading" && isBoilerplate(blocks[0].text))
    blocks = blocks.slice(1);
  if (!title && blocks[0]?.kind === "heading" && blocks.length > 1) {
    // A short first line standing alone is the article's title line, not a section heading.
    title = blocks[0].text;
    blocks = blocks.slice(1);
  }
  if (!blocks.some((b) => b.kind === "paragraph")) {
    // A file of headings only still has text: keep it as one paragraph rather than lose it.
    if (blocks.length === 0)
      return { rejected: "no-text", detail: "no text after the front matter and date" };
    blocks = [{ kind: "paragraph", text: blocks.map((b) => b.text).join(". ") }];
  }
  const finished = articleText(title, blocks);
  const estimated = date === null;
  return {
    path: file.path,
    title: finished.title,
    date: date ?? new Date(file.mtimeMs).toISOString().slice(0, 10),
    dateEstimated: estimated,
    url,
    source,
    blocks,
    body: finished.body,
    contentHash: finished.contentHash,
  };
}

/** Decode raw bytes and parse them; any failure becomes a reason, never an exception. */
export function readArticle(buf: Uint8Array, file: ReadFacts): Article | Rejected {
  const text = decodeText(buf);
  if (typeof text !== "string") return toRejected(text);
  return parseArticle(text, file);
}

const toRejected = (f: DecodeFailure): Rejected => ({ rejected: f.reason, detail: f.detail });

export const isRejected = (x: Article | Rejected): x is Rejected => "rejected" in x;
