// Renders neutral replies and alerts as plain text for a terminal or a log file.

import type { Alert, Reply, StoryCard } from "../types.js";

const WIDTH = 100;

/** Word-wrap one paragraph with an indent on every line. */
export function wrap(text: string, indent = "", width = WIDTH): string {
  const lines: string[] = [];
  let line = "";
  // Only plain spaces break lines: callers glue "🇳🇿 New Zealand" together with no-break spaces.
  for (const word of text
    .replace(/[\t\n\r]+/g, " ")
    .split(/ +/)
    .filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

function roleWord(roles: string[]): string {
  return roles.includes("sponsor") ? "blamed" : "mentioned";
}

export function renderCard(card: StoryCard, full: boolean): string {
  const date = `${card.date}${card.dateEstimated ? "~" : ""}`;
  const lines = [`[${card.id}] ${date}  ${card.title}`];
  if (card.note) lines.push(`    ${card.note}`);
  if (full || !card.note) {
    if (card.summary) lines.push(wrap(card.summary, "    "));
    const keep = (s: string) => s.replace(/ /g, "\u00a0");
    const actors = card.actors.map((a) => keep(a.alias ? `${a.name} (as "${a.alias}")` : a.name));
    if (actors.length) lines.push(wrap(`Actors: ${actors.join(", ")}`, "    "));
    const countries = card.countries.map((c) =>
      keep(`${c.flag ? `${c.flag} ` : ""}${c.name} (${roleWord(c.roles)})`),
    );
    if (countries.length) lines.push(wrap(`Countries: ${countries.join(", ")}`, "    "));
    lines.push(`    Source: ${card.source}`);
  }
  return lines.join("\n");
}

export function renderReply(reply: Reply): string {
  const out: string[] = [
    reply.kind === "error" || reply.kind === "refused" ? `! ${reply.headline}` : `== ${reply.headline}`,
  ];
  for (const t of reply.text) out.push(wrap(t, "   "));
  if (reply.fields.length) {
    const pad = Math.min(28, Math.max(...reply.fields.map((f) => f.label.length)));
    const hang = " ".repeat(3 + pad + 2);
    for (const f of reply.fields) {
      // Wrap long values under themselves, not under the label.
      const body = wrap(f.value, hang).slice(hang.length);
      out.push(`   ${f.label.padEnd(pad)}  ${body}`);
    }
  }
  const full = reply.stories.length === 1;
  for (const card of reply.stories) out.push("", renderCard(card, full || !card.note));
  if (reply.footer) out.push("", `   ${reply.footer}`);
  return `${out.join("\n")}\n`;
}

export function renderAlert(alert: Alert): string {
  return `\n>> New story (${alert.reason})\n${renderCard(alert.story, true)}\n`;
}

export function renderBatch(alerts: Alert[], reason: string): string {
  const head = `\n>> ${alerts.length} new stories (${reason})`;
  const lines = alerts.map((a) => `[${a.story.id}] ${a.story.date}  ${a.story.title}`);
  return `${head}\n${lines.join("\n")}\n   Read one: /cyber story <id>\n`;
}
