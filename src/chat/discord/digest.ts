// A digest as one Discord embed: one line per event within the description's limit, the rest counted, and a
// marker in the footer (a short hash of its key) that a look at the channel's recent messages can find.

import { createHash } from "node:crypto";
import { digestCount, moreEvents, sourcesNote } from "../outbound.js";
import type { Digest, StoryCard } from "../types.js";
import { clip, type DraftEmbed, fitMessage, LIMITS } from "./limits.js";
import { esc, linkOf, listWithin, type RenderedMessage } from "./render.js";

const SEP = " · ";
const DIGEST_COLOR = 0x3ba55c;

/** "digest 3fa9c2d1e0b4": shown in the footer, so the bot can recognise its own post of the digest `key`. */
export function digestMarker(key: string): string {
  return `digest ${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

/** "• **[Title](url)** · 2024-06-01 · +2 sources · `3fa9c2d1`". */
function line(story: StoryCard, sources: number): string {
  const title = esc(clip(story.title || story.id, 200));
  const url = linkOf(story.url);
  const date = story.dateEstimated ? `${story.date} (est.)` : story.date;
  const parts = [
    url ? `**[${title}](${url})**` : `**${title}**`,
    date,
    sourcesNote(sources),
    `\`${story.id}\``,
  ];
  return `• ${parts.filter(Boolean).join(SEP)}`;
}

export function renderDigest(digest: Digest): RenderedMessage {
  const lines = digest.events.map((e) => line(e.story, e.sources));
  const extra = Math.max(0, digest.total - digest.events.length);
  const e: DraftEmbed = {
    author: { name: clip(`${digestCount(digest.total)}${SEP}${digest.reason}`, LIMITS.author) },
    title: esc(`${digest.title}${SEP}${digest.period}`, LIMITS.title),
    description: listWithin(lines, LIMITS.description, (n) => moreEvents(n, digest.more), extra),
    color: DIGEST_COLOR,
    footer: { text: `Read one: /cyber story <id>${SEP}${digestMarker(digest.key)}` },
  };
  return { embeds: fitMessage([e]).embeds, components: [] };
}
