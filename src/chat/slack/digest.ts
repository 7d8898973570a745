// A digest in Block Kit: one line per event packed into as few sections as fit Slack's limits, the rest counted,
// and message metadata naming its key so a later look at the channel's history can find it.

import { digestCount, moreEvents, sourcesNote } from "../outbound.js";
import type { Digest, StoryCard } from "../types.js";
import { blank, context, fallback, header, link, META_MAX, section, TITLE_MAX, UNTITLED } from "./blocks.js";
import { escapeText, LIMITS, type SlackBlock, truncate } from "./limits.js";
import type { SlackMessage } from "./render.js";

/** The message metadata type every digest carries; `event_payload.key` is the digest's outbox key. */
export const DIGEST_EVENT_TYPE = "cyberbrief_digest";

export interface DigestMetadata {
  event_type: typeof DIGEST_EVENT_TYPE;
  event_payload: { key: string };
}

/** "• *Title* · 2024-06-01 · +2 sources · `3fa9c2d1`", escaped; the title links to the story's URL. */
function line(story: StoryCard, sources: number): string {
  const title = link(story.url, truncate(escapeText(blank(story.title) ? UNTITLED : story.title), TITLE_MAX));
  const date = `${escapeText(story.date)}${story.dateEstimated ? " (est.)" : ""}`;
  const parts = [`*${title}*`, date, sourcesNote(sources), `\`${escapeText(story.id)}\``].filter(Boolean);
  return `• ${parts.join(" · ")}`;
}

const cost = (blocks: readonly SlackBlock[]) => blocks.reduce((n, b) => n + JSON.stringify(b).length + 1, 0);

/**
 * Lines go into sections of at most 3,000 characters while the message stays within 50 blocks and the
 * aggregate size; lines that do not fit are left out whole and counted in "…and N more events".
 */
export function renderDigest(digest: Digest): SlackMessage & { metadata: DigestMetadata } {
  const head = [
    ...header(digest.title),
    ...context(
      truncate(escapeText(digest.period), META_MAX),
      truncate(escapeText(`${digestCount(digest.total)} · ${digest.reason}`), META_MAX),
    ),
  ];
  const tailFor = (more: number): SlackBlock[] =>
    context(
      more > 0 ? `_${escapeText(moreEvents(more, digest.more))}_` : "",
      escapeText("Read one: /cyber story <id>"),
    );
  // Room for the longest tail it may need (every event left out).
  const room = LIMITS.blocksChars - cost(head) - cost(tailFor(digest.total)) - 1;
  const maxSections = LIMITS.blocks - head.length - 1;
  const sections: string[] = [];
  let shown = 0;
  for (const event of digest.events) {
    const text = line(event.story, event.sources);
    const last = sections[sections.length - 1];
    const joined = last !== undefined && last.length + 1 + text.length <= LIMITS.sectionText;
    const next = joined ? [...sections.slice(0, -1), `${last}\n${text}`] : [...sections, text];
    if (text.length > LIMITS.sectionText || next.length > maxSections) break;
    if (cost(next.map((t) => section(t))) > room) break;
    sections.splice(0, sections.length, ...next);
    shown++;
  }
  const blocks = [...head, ...sections.map((t) => section(t)), ...tailFor(digest.total - shown)];
  return {
    text: fallback(`${digest.title} · ${digest.period}`, digestCount(digest.total)),
    blocks,
    metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { key: digest.key } },
  };
}
