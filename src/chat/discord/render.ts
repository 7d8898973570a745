// Pure rendering of the neutral Reply, Alert, batch and notice into Discord embed JSON and button components.

import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import { shownRoles } from "../../core/cards.js";
import { moreStories, renderWith, sourcesNote, summaryHead } from "../outbound.js";
import { fitList, tagLists } from "../tags.js";
import type { Alert, Outbound, Reply, ReplyKind, StoryCard } from "../types.js";
import { renderDigest } from "./digest.js";
import { clip, type DraftEmbed, fitMessage, LIMITS } from "./limits.js";
import { renderSource } from "./render-source.js";

/** The platform-specific body of one message, before visibility and mention settings are added. */
export interface RenderedMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** Attachments (a reply's chart), shown in an embed through `attachment://<name>`. */
  files?: Array<{ attachment: Buffer; name: string; description: string }>;
}

/** Discord's limit on an attachment's description (its alt text). */
const ATTACHMENT_DESCRIPTION = 1024;

const COLORS: Record<ReplyKind, number> = {
  answer: 0x5865f2,
  notice: 0x5865f2,
  empty: 0x99aab5,
  help: 0x57f287,
  usage: 0xfee75c,
  refused: 0xfaa61a,
  error: 0xed4245,
};
const ALERT_COLOR = 0xeb459e;
const SEP = " · ";

/**
 * Plain text in, markdown-safe text out: article text must not turn into formatting, links, headings or
 * mention syntax. Discord drops a backslash before any punctuation, so over-escaping is invisible. Linear on
 * purpose: discord.js's escapeMarkdown took 19 s on an 80 KB summary. Input is first cut to just over `max`,
 * so a 5 MB article costs no more than a short one and the later clip still sees it was too long.
 */
export function esc(text: string, max: number = LIMITS.description): string {
  return (text.length > max ? text.slice(0, max + 1) : text)
    .replace(/[\\*_~`|[\]()<>]/g, "\\$&")
    .replace(/^([ \t]*)([-+#])/gm, "$1\\$2")
    .replace(/^([ \t]*\d+)\./gm, "$1\\.")
    .replace(/@(everyone|here)\b/gi, "@\u2060$1");
}

/** One tag in a list, escaped like any text. */
const escItem = (item: string): string => esc(item);

// In a one-line summary of a story, each of its sector, malware and CVE lists gets a few names at most.
const BRIEF_MAX = 120;
const BRIEF_SHOWN = 3;

export const storyPointer = (id: string): string => `full story: /cyber story ${id}`;

// Embeds accept only http(s) links; a file name as `url` would make Discord reject the whole message.
export function linkOf(url: string | null): string | undefined {
  if (!url || url.length > 2000) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function actorsText(story: StoryCard): string {
  return story.actors
    .map((a) => (a.alias && a.alias !== a.name ? `${esc(a.name)} (as “${esc(a.alias)}”)` : esc(a.name)))
    .join(", ");
}

function countriesText(story: StoryCard): string {
  return story.countries
    .map((c) => `${c.flag} ${esc(c.name)} (${shownRoles(c.roles).join(", ")})`)
    .join("\n");
}

function storyFooter(story: StoryCard): string {
  const date = story.dateEstimated ? `${story.date} (date estimated)` : story.date;
  return [date, story.source, sourcesNote(story.sources), `/cyber story ${story.id}`]
    .filter(Boolean)
    .join(SEP);
}

/** One story as a rich embed: title, summary, actors and countries, date and source in the footer. */
export function storyEmbed(story: StoryCard, color: number): DraftEmbed {
  const description = story.note ? `${esc(story.summary)}\n\n*${esc(story.note)}*` : esc(story.summary);
  const fields = [
    { name: "Actors", value: actorsText(story), inline: true },
    { name: "Countries", value: countriesText(story), inline: true },
    ...tagLists(story).map(({ label, items }) => ({
      name: label,
      value: fitList(items, LIMITS.fieldValue, escItem),
      inline: true,
    })),
  ].filter((f) => f.value !== "");
  const e: DraftEmbed = {
    title: esc(story.title, LIMITS.title) || story.id,
    description,
    color,
    fields,
    footer: { text: storyFooter(story) },
    pointer: storyPointer(story.id),
  };
  const url = linkOf(story.url);
  if (url) e.url = url;
  return e;
}

/** One line per story for lists that cannot afford an embed each. */
export function storyLine(story: StoryCard): string {
  const tags = [
    story.actors.map((a) => esc(a.name)).join(", "),
    story.countries.map((c) => c.flag).join(" "),
    ...tagLists(story).map(({ items }) => fitList(items, BRIEF_MAX, escItem, ", ", BRIEF_SHOWN)),
  ];
  const meta = [story.date, ...tags.filter(Boolean), `\`${story.id}\``].join(SEP);
  return `• **${esc(clip(story.title, 200))}**${SEP}${meta}`;
}

/** `lines` while they fit in `max`, then `more(n)` for the n left out, counting `extra` items never listed. */
export function listWithin(lines: string[], max: number, more: (n: number) => string, extra = 0): string {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i - 1 + extra;
    const reserve = rest > 0 ? more(rest).length + 1 : 0;
    if (used + line.length + 1 + reserve > max) {
      out.push(more(lines.length - i + extra));
      return out.join("\n");
    }
    out.push(line);
    used += line.length + 1;
  }
  if (extra > 0) out.push(more(extra));
  return out.join("\n");
}

/** A reply: a header embed (headline, text, fields, footer), then one embed per story while they fit. */
export function renderReply(reply: Reply, shareId?: string): RenderedMessage {
  const color = COLORS[reply.kind];
  const footer = [reply.footer, reply.errorId ? `error id ${reply.errorId}` : undefined].filter(Boolean);
  const header: DraftEmbed = {
    title: esc(reply.headline, LIMITS.title),
    description: reply.text.map((t) => esc(t)).join("\n\n"),
    color,
    fields: reply.fields.map((f) => ({
      name: esc(f.label, LIMITS.fieldName),
      value: esc(f.value, LIMITS.fieldValue),
      inline: f.inline ?? false,
    })),
  };
  if (footer.length > 0) header.footer = { text: footer.join(SEP) };
  const image = reply.image;
  // The chart is an attachment of this message, shown inside the header embed; its alt text goes with it.
  if (image) header.image = { url: `attachment://${image.fileName}` };
  const files = image
    ? [
        {
          attachment: Buffer.from(image.png),
          name: image.fileName,
          description: clip(image.alt, ATTACHMENT_DESCRIPTION),
        },
      ]
    : undefined;
  const stories = reply.stories.map((s) => storyEmbed(s, color));
  // Stories that do not fit as embeds still get a line each in the header, so nothing is silently lost.
  for (let shown = stories.length; ; ) {
    const overflow = reply.stories.slice(shown).map(storyLine);
    const head: DraftEmbed = overflow.length === 0 ? header : withList(header, overflow);
    const { embeds, dropped } = fitMessage([head, ...stories.slice(0, shown)]);
    if (dropped === 0) return { embeds, components: shareRow(shareId), ...(files ? { files } : {}) };
    shown -= dropped;
  }
}

function withList(header: DraftEmbed, lines: string[]): DraftEmbed {
  const value = listWithin(lines, LIMITS.fieldValue, (n) => `…and ${n} more`);
  const fields = (header.fields ?? []).slice(0, LIMITS.fields - 1);
  return { ...header, fields: [...fields, { name: `${lines.length} more`, value }] };
}

function shareRow(shareId: string | undefined): RenderedMessage["components"] {
  if (shareId === undefined) return [];
  const button: APIButtonComponent = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: "Share",
    custom_id: shareId.slice(0, LIMITS.customId),
  };
  return [{ type: ComponentType.ActionRow, components: [button] }];
}

/** An alert: the story's embed with why this channel got it above the title ("Updated story" on an edit). */
export function renderAlert(alert: Alert, label = "New story"): RenderedMessage {
  const e = storyEmbed(alert.story, ALERT_COLOR);
  e.author = { name: `${label}${SEP}${alert.reason}` };
  return { embeds: fitMessage([e]).embeds, components: [] };
}

/**
 * A flood summary: one embed headed with the count and the top actors, a line for each listed story, and how
 * many more there are; never ten separate pings.
 */
export function renderBatch(
  alerts: Alert[],
  reason: string,
  total = alerts.length,
  top: string[] = [],
): RenderedMessage {
  const lines = alerts.map((a) => storyLine(a.story));
  const extra = Math.max(0, total - alerts.length);
  const e: DraftEmbed = {
    author: { name: `${total} new stories${SEP}${reason}` },
    title: esc(summaryHead(total, top), LIMITS.title),
    description: listWithin(lines, LIMITS.description, moreStories, extra),
    color: ALERT_COLOR,
    footer: { text: "Details: /cyber story <id>" },
  };
  return { embeds: fitMessage([e]).embeds, components: [] };
}

/** An alert, digest, notice or revision (chat/outbound.ts says which renderer draws it; digest.ts a digest). */
export function renderOutbound(message: Outbound): RenderedMessage {
  if (message.kind === "digest") return renderDigest(message.digest);
  if (message.kind === "source") return renderSource(message);
  return renderWith(message, renderAlert, renderBatch, (r) => renderReply(r), renderUpdateNote);
}

/** A short post for a revised story whose alert cannot be edited (it went out in a digest, or was deleted). */
function renderUpdateNote(alert: Alert): RenderedMessage {
  const e: DraftEmbed = {
    author: { name: `Updated story${SEP}${alert.reason}` },
    title: esc(alert.story.title, LIMITS.title) || alert.story.id,
    description: `Details: /cyber story ${alert.story.id}`,
    color: ALERT_COLOR,
  };
  const url = linkOf(alert.story.url);
  if (url) e.url = url;
  return { embeds: fitMessage([e]).embeds, components: [] };
}
