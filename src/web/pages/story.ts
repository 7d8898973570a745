// `/stories/<id>`: one event in full: title, summary, sources, tags with their words, revisions, delivery log.

import { tagFields } from "../../commands/story-reply.js";
import { channelLine, NOT_CYBER, sourceLine } from "../../commands/why.js";
import { keywordOf } from "../../core/tags.js";
import type { StoryReasons } from "../../store/types.js";
import { type Html, html, layout, linkOr } from "../html.js";
import type { WebDeps } from "../parts.js";
import { tagLinks } from "../parts.js";

/** The state word a delivery line starts with, for its badge. */
export function deliveryState(line: string): string {
  if (/^alert delivered|^in the \w* digest of .*: delivered/.test(line)) return "delivered";
  if (/failed/.test(line)) return "failed";
  if (/queued/.test(line)) return "queued";
  if (/cancelled/.test(line)) return "cancelled";
  if (/^filtered/.test(line)) return "filtered";
  if (/^not sent/.test(line)) return "not-sent";
  return /delivered/.test(line) ? "delivered" : "other";
}

async function deliveryLog(deps: WebDeps, reasons: StoryReasons): Promise<Html> {
  const id = reasons.story.id;
  const channels = await deps.insights.channels(id);
  if (channels.length === 0) return html`<p>No channel has subscriptions, and none was sent this story.</p>`;
  const at = { zone: deps.zone ?? "UTC", now: deps.clock?.now() ?? Date.now() };
  const rows = await Promise.all(
    channels.map(async (ch) => {
      const [outbox, subs] = await Promise.all([
        deps.store.deliveriesOf(id, ch),
        deps.subscriptions.subscriptions(ch),
      ]);
      const watches = subs
        .filter((s) => s.disabledAt === null && keywordOf(s.tag) !== null)
        .map((s) => s.tag);
      const phrases = watches.length ? await deps.store.keywordsIn(id, watches) : [];
      const line = channelLine(reasons, outbox, subs, at, phrases);
      const state = deliveryState(line);
      return html`<tr><td>${ch}</td><td class="status status-${state}">${state.replace("-", " ")}</td><td>${line}</td></tr>`;
    }),
  );
  return html`<table><caption class="visually-hidden">Delivery per channel</caption>
<thead><tr><th scope="col">Channel</th><th scope="col">State</th><th scope="col">What happened</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export async function storyPage(deps: WebDeps, id: string, authed: boolean): Promise<Html | null> {
  const reasons = await deps.store.storyReasons(id);
  if (!reasons) return null;
  const s = reasons.story;
  const [revisions, log] = await Promise.all([deps.insights.revisions(s.id), deliveryLog(deps, reasons)]);
  const fields = tagFields(deps.names, s);
  const cyber = reasons.cyber
    ? `about hacking${reasons.cyberWords?.length ? `: matched ${reasons.cyberWords.map((w) => `"${w}"`).join(", ")}` : ""}`
    : NOT_CYBER;
  const body = html`<article>
<h1>${s.title}</h1>
<p class="meta"><time datetime="${s.date}">${s.date}${s.dateEstimated ? " (estimated from the file's time)" : ""}</time> · id ${s.id} · revision ${s.revision} · ${linkOr(s.url, s.url ?? s.path)}</p>
${tagLinks(s)}
<h2>Summary</h2>
<p>${s.summary || "(no summary)"}</p>
<h2>Sources</h2>
<ol>${reasons.sources.map((src) => html`<li>${linkOr(src.url, sourceLine(src))}</li>`)}</ol>
<h2>Tags and the words behind them</h2>
<table><thead><tr><th scope="col">Tag</th><th scope="col">Evidence</th></tr></thead>
<tbody>${fields.map((f) => html`<tr><td>${f.label}</td><td>${f.value}</td></tr>`)}
<tr><td>Cyber signal</td><td>${cyber}</td></tr></tbody></table>
<h2>Revisions</h2>
${
  revisions.length
    ? html`<ol reversed>${revisions.map(
        (r) =>
          html`<li><strong>Revision ${r.revision}</strong>, saved ${r.savedAt}: ${r.title}<br><span class="muted">${r.summary}</span></li>`,
      )}</ol>`
    : html`<p>None: this is the first version.</p>`
}
<h2 id="deliveries">Delivery log</h2>
${log}
</article>`;
  return layout(s.title, body, { authed });
}
