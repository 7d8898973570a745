// Renders neutral replies and alerts as plain text for a terminal or a log file.

import { roleWords } from "../../core/cards.js";
import {
  addsNote,
  digestCount,
  moreEvents,
  moreSources,
  moreStories,
  replySources,
  reportedBy,
  sourcesNote,
  summaryHead,
} from "../outbound.js";
import { fitList, tagLists } from "../tags.js";
import type { Alert, Digest, Reply, SourceReply, StoryCard } from "../types.js";
import { MAX_WIDTH, table, wrap } from "./text.js";

export { wrap } from "./text.js";

const BODY = "    ";
const REPLY = "   ";
/** Sectors, malware and CVE lines: a few names, then "+N more" (a list of 500 would fill the screen). */
const LIST_MAX = 400;

/** "[3fa9c2d1] 2024-07-08  Title", the title wrapped under the body when it is long. */
function cardHead(card: StoryCard, width: number): string {
  const date = `${card.date}${card.dateEstimated ? "~" : ""}`;
  return wrap(card.title, BODY, width, `[${card.id}] ${date}  `);
}

/** "Countries: a, b," with the rest of the list wrapped under its first item. */
function listLine(label: string, items: string[], width: number): string {
  const head = `${BODY}${label}: `;
  return wrap(items.join(", "), " ".repeat(head.length), width, head);
}

export function renderCard(card: StoryCard, full: boolean, width = MAX_WIDTH): string {
  const lines = [cardHead(card, width)];
  if (card.note) lines.push(wrap(card.note, BODY, width));
  if (full || !card.note) {
    if (card.summary) lines.push(wrap(card.summary, BODY, width));
    const keep = (s: string) => s.replace(/ /g, "\u00a0");
    const actors = card.actors.map((a) => keep(a.alias ? `${a.name} (as "${a.alias}")` : a.name));
    if (actors.length) lines.push(listLine("Actors", actors, width));
    const countries = card.countries.map((c) =>
      keep(`${c.flag ? `${c.flag} ` : ""}${c.name} (${roleWords(c.roles).join(", ")})`),
    );
    if (countries.length) lines.push(listLine("Countries", countries, width));
    for (const { label, items } of tagLists(card)) {
      const text = fitList(items, LIST_MAX, keep).replace(/ more$/, "\u00a0more");
      lines.push(listLine(label, [text], width));
    }
    const more = sourcesNote(card.sources);
    lines.push(wrap(`Source: ${card.source}${more ? ` (${more})` : ""}`, BODY, width));
  }
  return lines.join("\n");
}

/**
 * `/cyber story <id>` answers with the story's title as headline, its tags as fields and its card: the fields
 * already say everything the card's tag lines would, so only the summary is taken from the card.
 */
function storyDetail(reply: Reply): StoryCard | undefined {
  const [only, ...more] = reply.stories;
  return only && more.length === 0 && reply.fields.length > 0 && reply.headline === only.title
    ? only
    : undefined;
}

const PROBLEMS = new Set<Reply["kind"]>(["error", "refused", "usage"]);

/** `chart`: the lines saying where a reply's chart was saved and its counts (console/chart.ts), when it has one. */
export function renderReply(reply: Reply, width = MAX_WIDTH, chart: string[] = []): string {
  const detail = storyDetail(reply);
  const out = [wrap(reply.headline, REPLY, width, PROBLEMS.has(reply.kind) ? "!  " : "== ")];
  const text = detail?.summary ? [detail.summary, ...reply.text] : reply.text;
  for (const t of text) out.push(wrap(t, REPLY, width));
  for (const line of chart) out.push(wrap(line, REPLY, width));
  if (reply.fields.length) {
    if (detail) out.push("");
    out.push(...table(reply.fields, REPLY, width));
  }
  const cards = detail ? [] : reply.stories;
  const full = cards.length === 1;
  for (const card of cards) out.push("", renderCard(card, full || !card.note, width));
  if (reply.footer) out.push("", wrap(reply.footer, REPLY, width));
  return `${out.join("\n")}\n`;
}

export function renderAlert(alert: Alert, width = MAX_WIDTH): string {
  return `\n${wrap(`New story (${alert.reason})`, REPLY, width, ">> ")}\n${renderCard(alert.story, true, width)}\n`;
}

/** A revised story: what was printed cannot be edited, so one line says it changed. */
export function renderUpdate(alert: Alert, width = MAX_WIDTH): string {
  const card = alert.story;
  return `${wrap(card.title, BODY, width, `~ updated [${card.id}] `)}\n`;
}

/** A flood summary: the count and top actors, the listed stories, and how many more there are. */
export function renderBatch(
  alerts: Alert[],
  reason: string,
  width = MAX_WIDTH,
  total = alerts.length,
  top: string[] = [],
): string {
  const head = wrap(`${summaryHead(total, top)} (${reason})`, REPLY, width, ">> ");
  const lines = alerts.map((a) => cardHead(a.story, width));
  const extra = total - alerts.length;
  if (extra > 0) lines.push(wrap(moreStories(extra), REPLY, width));
  return `\n${head}\n${lines.join("\n")}\n${REPLY}Read one: /cyber story <id>\n`;
}

/** A digest: its title and period, then one line per event (id, date, title, "+N sources"), then how many more. */
export function renderDigest(digest: Digest, width = MAX_WIDTH): string {
  const head = wrap(`${digest.title} · ${digest.period}`, REPLY, width, ">> ");
  const why = wrap(`${digestCount(digest.total)} (${digest.reason})`, REPLY, width);
  const lines = digest.events.map(({ story, sources }) => {
    const extra = sourcesNote(sources);
    const date = `${story.date}${story.dateEstimated ? "~" : ""}`;
    return wrap(extra ? `${story.title} · ${extra}` : story.title, BODY, width, `[${story.id}] ${date}  `);
  });
  const rest = digest.total - digest.events.length;
  if (rest > 0) lines.push(wrap(moreEvents(rest, digest.more), REPLY, width));
  return `\n${head}\n${why}\n${lines.join("\n")}\n${REPLY}Read one: /cyber story <id>\n`;
}

/**
 * Later sources of an alerted event: what was printed cannot be edited or threaded, so each source gets an
 * indented "+ also reported by" line under it, the first one saying what the sources add.
 */
export function renderSource(message: SourceReply, width = MAX_WIDTH): string {
  const { cards, more } = replySources(message);
  const adds = addsNote(message.added);
  const lines = cards.map((card, i) => {
    const tail = i === 0 && adds ? ` (${adds})` : "";
    return wrap(
      `${card.title} [${card.id}]${tail}`,
      `${BODY}  `,
      width,
      `${BODY}+ also reported by ${reportedBy(card)}: `,
    );
  });
  if (more > 0) lines.push(wrap(moreSources(more), `${BODY}  `, width, `${BODY}+ `));
  return `${lines.join("\n")}\n`;
}
