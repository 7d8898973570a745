// Renders a thread reply for later sources of an alerted event as one Discord embed: a line per source, what
// they add, and the name of the thread started on the alert.

import { addsNote, fitSourceLines, moreSources, replySources } from "../outbound.js";
import type { SourceReply, StoryCard } from "../types.js";
import { clip, fitMessage, LIMITS } from "./limits.js";
import { esc, linkOf, type RenderedMessage } from "./render.js";

const SOURCE_COLOR = 0x99aab5;
/** Discord's limit on a thread's name. */
const THREAD_NAME_MAX = 100;

/** "➕ Also reported by [Reuters](url), 2024-07-10: **Title** · `ab12cd`". */
function sourceLine(card: StoryCard): string {
  const url = linkOf(card.url);
  const source = esc(clip(card.source, 200));
  const from = url ? `[${source}](${url})` : source;
  const date = `${card.date}${card.dateEstimated ? " (date estimated)" : ""}`;
  return `➕ Also reported by ${from}, ${date}: **${esc(clip(card.title, 300))}** · \`${card.id}\``;
}

/** The reply: listed sources, how many more, what they add; the footer says why the channel follows the event. */
export function renderSource(message: SourceReply): RenderedMessage {
  const { cards, more } = replySources(message);
  const adds = addsNote(message.added);
  const tail = adds ? `\n**Adds:** ${esc(clip(message.added.join(", "), 1000))}` : "";
  const lines = fitSourceLines(
    cards.map(sourceLine),
    more,
    LIMITS.description - tail.length,
    (n) => `*${esc(moreSources(n))}*`,
  );
  const embed = {
    description: clip(lines.join("\n") + tail, LIMITS.description),
    color: SOURCE_COLOR,
    footer: { text: clip(`${message.alert.reason} · /cyber story ${message.alert.story.id}`, LIMITS.footer) },
  };
  return { embeds: fitMessage([embed]).embeds, components: [] };
}

/** The thread started on an alert is named after its story (1-100 characters). */
export function threadName(message: SourceReply): string {
  const title = message.parent.alert.story.title.replace(/\s+/g, " ").trim();
  return clip(title || message.parent.alert.story.id, THREAD_NAME_MAX);
}
