// Renders a thread reply for later sources of an alerted event as Block Kit: one line per source, what they add.

import { fitSourceLines, moreSources, replySources } from "../outbound.js";
import type { SourceReply, StoryCard } from "../types.js";
import { blank, context, fallback, link, META_MAX, section, TITLE_MAX, UNTITLED } from "./blocks.js";
import { escapeText, LIMITS, truncate } from "./limits.js";
import type { SlackMessage } from "./render.js";

/** "Also reported by <url|Reuters>, 2024-07-10: *Title* · `ab12cd`". */
function sourceLine(card: StoryCard): string {
  const title = truncate(escapeText(blank(card.title) ? UNTITLED : card.title), TITLE_MAX);
  const from = link(card.url, truncate(escapeText(card.source), META_MAX));
  const date = `${escapeText(card.date)}${card.dateEstimated ? " (date estimated)" : ""}`;
  return `:heavy_plus_sign: Also reported by ${from}, ${date}: *${title}* · \`${escapeText(card.id)}\``;
}

/**
 * The reply in the alert's thread: a line per listed source, how many more it counts, then what they add to
 * the event (new actors, countries newly blamed or named) and how to read one in full.
 */
export function renderSource(message: SourceReply): SlackMessage {
  const { cards, more } = replySources(message);
  const adds =
    message.added.length > 0 ? `\n*Adds: ${truncate(escapeText(message.added.join(", ")), 1000)}*` : "";
  const max = LIMITS.sectionText - adds.length;
  const lines = fitSourceLines(cards.map(sourceLine), more, max, (n) => `_${escapeText(moreSources(n))}_`);
  const blocks = [
    section(truncate(lines.join("\n") + adds, LIMITS.sectionText)),
    ...context(
      truncate(`Why: ${escapeText(message.alert.reason)}`, META_MAX),
      `/cyber story ${escapeText(message.alert.story.id)}`,
    ),
  ];
  const first = message.alert.story;
  const count = message.total > 1 ? `Also reported by ${message.total} sources` : "Also reported";
  return { text: fallback(`${count}: ${first.source}`, first.title), blocks };
}
