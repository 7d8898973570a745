// Renders the neutral Reply, Alert, batch and notice to Block Kit with a plain fallback, within Slack's limits.

import type { types } from "@slack/bolt";
import { moreStories, renderWith, summaryHead } from "../outbound.js";
import { fitList, tagLists } from "../tags.js";
import type { Alert, Outbound, Reply, StoryCard } from "../types.js";
import {
  blank,
  context,
  fallback,
  header,
  link,
  META_MAX,
  metaTexts,
  mrkdwn,
  noteLine,
  section,
  shrinkable,
  storyPointer,
  TITLE_MAX,
  tagTexts,
  UNTITLED,
} from "./blocks.js";
import { renderDigest } from "./digest.js";
import { escapeText, fitBlocks, LIMITS, type Piece, type SlackBlock, splitText, truncate } from "./limits.js";
import { renderSource } from "./render-source.js";

// In a one-line summary of a story, each of its sector, malware and CVE lists gets a few names at most.
const BRIEF_MAX = 120;
const BRIEF_SHOWN = 3;

export interface SlackMessage {
  /** Fallback for notifications and screen readers; escaped like the blocks. */
  text: string;
  blocks: SlackBlock[];
}

export interface ReplyOptions {
  /** Adds a "Share in channel" button whose value is the command text, re-run when clicked. */
  shareText?: string;
  /** Slack user id of whoever shared the reply into the channel. */
  sharedBy?: string;
}

export const SHARE_ACTION_ID = "cyberbrief_share";

/** One story in a list: a titled summary and one context line of tags and source. */
function storyPiece(card: StoryCard): Piece {
  const title = `*${link(card.url, truncate(escapeText(blank(card.title) ? UNTITLED : card.title), TITLE_MAX))}*`;
  const text = truncate(
    `${title}${noteLine(card)}\n${escapeText(card.summary)}`,
    LIMITS.sectionText,
    storyPointer(card.id),
  );
  return { story: true, blocks: [section(text), ...context(...tagTexts(card), ...metaTexts(card))] };
}

/**
 * One story in a digest: a single section (title, summary, then date, tags and id on one line). A section and a
 * context block each would fit only 23 stories in Slack's 50 blocks, and a full digest holds 25.
 */
function digestPiece(card: StoryCard): Piece {
  const title = `*${link(card.url, truncate(escapeText(blank(card.title) ? UNTITLED : card.title), TITLE_MAX))}*`;
  const tags = [
    escapeText(card.actors.map((a) => a.name).join(", ")),
    escapeText(card.countries.map((c) => c.flag || c.name).join(" ")),
    ...tagLists(card).map(({ items }) => fitList(items, BRIEF_MAX, escapeText, ", ", BRIEF_SHOWN)),
  ]
    .filter((t) => !blank(t))
    .join(" · ");
  const meta = [
    `${escapeText(card.date)}${card.dateEstimated ? " (date estimated)" : ""}`,
    truncate(tags, META_MAX),
    `/cyber story ${escapeText(card.id)}`,
  ].filter((t) => !blank(t));
  const text = `${title}${noteLine(card)}\n${escapeText(card.summary)}\n${meta.join(" · ")}`;
  return { ...shrinkable(text, storyPointer(card.id)), story: true };
}

/** Paragraphs joined into as few sections as fit, long ones split at word boundaries. */
function textPieces(paragraphs: string[], pointer?: string): Piece[] {
  const chunks = paragraphs
    .filter((p) => p.trim().length > 0)
    .flatMap((p) => splitText(escapeText(p), LIMITS.sectionText));
  const merged: string[] = [];
  for (const chunk of chunks) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.length + 2 + chunk.length <= LIMITS.sectionText) {
      merged[merged.length - 1] = `${last}\n\n${chunk}`;
    } else merged.push(chunk);
  }
  return merged.map((text) => shrinkable(text, pointer));
}

/** Inline fields share two-column sections (at most 10 each); a wide field gets a section of its own. */
function fieldPieces(reply: Reply): Piece[] {
  const pieces: Piece[] = [];
  let row: types.MrkdwnElement[] = [];
  const flush = () => {
    if (row.length > 0) pieces.push({ blocks: [{ type: "section", fields: row }] });
    row = [];
  };
  for (const field of reply.fields) {
    const text = `*${escapeText(field.label)}*\n${escapeText(field.value)}`;
    if (blank(field.label) && blank(field.value)) continue;
    if (!field.inline) {
      flush();
      pieces.push(shrinkable(text));
      continue;
    }
    row.push(mrkdwn(truncate(text, LIMITS.fieldText)));
    if (row.length === LIMITS.fieldsPerSection) flush();
  }
  flush();
  return pieces;
}

const moreNote = (hint: string) => (omitted: number) =>
  context(
    omitted > 0
      ? `_…and ${omitted} more ${omitted === 1 ? "story" : "stories"} not shown. ${hint}_`
      : "_Shortened to fit in Slack._",
  )[0] as SlackBlock;

export function renderReply(reply: Reply, opts: ReplyOptions = {}): SlackMessage {
  const only = reply.stories.length === 1 ? reply.stories[0] : undefined;
  const pieces = [
    ...textPieces(reply.text, only ? storyPointer(only.id) : undefined),
    ...fieldPieces(reply),
    ...reply.stories.map(storyPiece),
  ];
  const tail: SlackBlock[] = [
    ...context(reply.footer ? truncate(escapeText(reply.footer), META_MAX) : ""),
    ...context(
      reply.errorId
        ? truncate(`Error id: \`${escapeText(reply.errorId)}\` (it is in the bot's log)`, META_MAX)
        : "",
    ),
    ...context(opts.sharedBy && /^[A-Z0-9]+$/.test(opts.sharedBy) ? `Shared by <@${opts.sharedBy}>` : ""),
  ];
  if (opts.shareText !== undefined && opts.shareText.length <= LIMITS.buttonValue) {
    tail.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: SHARE_ACTION_ID,
          text: { type: "plain_text", text: "Share in channel" },
          value: opts.shareText,
        },
      ],
    });
  }
  const blocks = fitBlocks(
    header(reply.headline),
    pieces,
    tail,
    moreNote("Narrow the question to see them."),
  );
  const text = fallback(reply.headline, reply.text[0]);
  // Slack refuses an empty blocks array; a reply with nothing in it still says something.
  return { text, blocks: blocks.length > 0 ? blocks : [section(text)] };
}

/** `label` heads the notification text: "New story", or "Updated story" when a posted alert is edited. */
export function renderAlert(alert: Alert, label = "New story"): SlackMessage {
  const { story } = alert;
  // The header holds 150 characters; a longer title is repeated in full above the summary.
  const fullTitle =
    escapeText(story.title).length > LIMITS.headerText ? `*${escapeText(story.title)}*\n` : "";
  const summary = `${fullTitle}${escapeText(story.summary)}${noteLine(story)}`;
  const pieces = blank(summary) ? [] : [shrinkable(summary, storyPointer(story.id))];
  const tail = [...context(...tagTexts(story)), ...context(...metaTexts(story, alert.reason))];
  const title = blank(story.title) ? UNTITLED : story.title;
  const blocks = fitBlocks(header(title), pieces, tail, moreNote(""));
  return { text: fallback(`${label} (${alert.reason})`, title), blocks };
}

/** A flood summary: the count and top actors as header, the listed stories, and how many more there are. */
export function renderBatch(
  alerts: Alert[],
  reason: string,
  total = alerts.length,
  top: string[] = [],
): SlackMessage {
  const count = summaryHead(total, top);
  const head = [...header(count), ...context(truncate(`Why: ${escapeText(reason)}`, META_MAX))];
  const pieces = alerts.map((a) => digestPiece(a.story));
  const extra = total - alerts.length;
  const tail = extra > 0 ? context(`_${escapeText(moreStories(extra))}_`) : [];
  const blocks = fitBlocks(head, pieces, tail, moreNote("See them with /cyber latest."));
  const titles = alerts.slice(0, 5).map((a) => a.story.title);
  return { text: fallback(`${count} (${reason})`, titles.join("; ")), blocks };
}

/** An alert, digest, notice or revision (chat/outbound.ts says which renderer draws it; digest.ts a digest). */
export function renderOutbound(message: Outbound): SlackMessage {
  if (message.kind === "digest") return renderDigest(message.digest);
  if (message.kind === "source") return renderSource(message);
  return renderWith(message, renderAlert, renderBatch, (r) => renderReply(r), renderUpdateNote);
}

/** A short post for a revised story whose alert cannot be edited (it went out in a digest, or is gone). */
function renderUpdateNote(alert: Alert): SlackMessage {
  const { story } = alert;
  const title = truncate(escapeText(blank(story.title) ? UNTITLED : story.title), TITLE_MAX);
  const blocks = [
    section(`*Updated:* ${link(story.url, title)}`),
    ...context(...metaTexts(story, alert.reason).slice(2)),
  ];
  return { text: fallback(`Updated story (${alert.reason})`, story.title), blocks };
}
