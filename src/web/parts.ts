// What the pages read (WebDeps) and the pieces several pages share: a story in a list, its tags as links, the
// pager and the inline trend chart.

import { trendSvg } from "../charts/index.js";
import type { MalwareNames } from "../commands/malware-names.js";
import type { NameResolver } from "../commands/resolve.js";
import { trendOf } from "../commands/trend.js";
import { roleWords } from "../core/cards.js";
import type { Clock } from "../core/clock.js";
import type { FeedStore } from "../core/feeds.js";
import { isFeedKey, type StorySummary } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { InsightStore, TrendTag } from "../store/insights.js";
import type { SubscriptionStore } from "../store/subscriptions.js";
import type { StoryStore } from "../store/types.js";
import { enc, type Html, html, linkOr, raw } from "./html.js";

export interface WebDeps {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  feeds: FeedStore;
  insights: InsightStore;
  names: NameResolver;
  /** Malware aliases (the package's data/malware.json by default). */
  malware?: MalwareNames;
  /** CYBERBRIEF_WEB_TOKEN; absent only when the server listens on loopback (config checks that). */
  token?: string;
  log: Logger;
  clock?: Clock;
  /** CYBERBRIEF_TZ, for which digest a story goes in. */
  zone?: string;
}

/** Stories per page of the event list. */
export const PAGE_SIZE = 25;

/** Where a story came from, as lists say it: the feed or outlet, else the file's name. */
export function sourceName(s: Pick<StorySummary, "path" | "source" | "url">): string {
  if (s.source) return s.source;
  if (isFeedKey(s.path) || s.url) return s.url ?? s.path;
  return s.path.split("/").pop() ?? s.path;
}

/** A story's tags as links to their pages or filtered lists. */
export function tagLinks(s: StorySummary): Html {
  const items: Html[] = [
    ...s.actors.map((a) => html`<li><a href="/actors/${enc(a.id)}">${a.name}</a></li>`),
    ...s.countries.map(
      (c) =>
        html`<li><a href="/countries/${enc(c.code.toLowerCase())}">${c.name}</a> <span class="muted">(${roleWords(c.roles).join(", ")})</span></li>`,
    ),
    ...(s.sectors ?? []).map((t) => html`<li><a href="/?sector=${enc(t.id)}">sector ${t.id}</a></li>`),
    ...(s.malware ?? []).map((t) => html`<li><a href="/?malware=${enc(t.id)}">${t.name}</a></li>`),
    ...(s.cves ?? []).map((id) => html`<li><a href="/?cve=${enc(id)}">${id}</a></li>`),
  ];
  return items.length ? html`<ul class="tags" aria-label="Tags">${items}</ul>` : html``;
}

export function storyItem(s: StorySummary): Html {
  const more = s.sources ? html` · +${s.sources} ${s.sources === 1 ? "source" : "sources"}` : "";
  return html`<li>
<h3><a href="/stories/${enc(s.id)}">${s.title}</a></h3>
<p class="meta"><time datetime="${s.date}">${s.date}${s.dateEstimated ? " (estimated)" : ""}</time> · ${linkOr(s.url, sourceName(s))}${more} · <span class="muted">id ${s.id}</span></p>
${s.summary ? html`<p>${s.summary}</p>` : ""}
${tagLinks(s)}
</li>`;
}

export const storyList = (stories: StorySummary[]): Html =>
  stories.length ? html`<ol class="events">${stories.map(storyItem)}</ol>` : html`<p>No stories.</p>`;

/** "Newer" and "Older" links keeping the other query parameters. */
export function pager(
  params: URLSearchParams,
  page: number,
  shown: number,
  total: number,
  size: number,
): Html {
  const link = (p: number) => {
    const q = new URLSearchParams(params);
    if (p <= 1) q.delete("page");
    else q.set("page", String(p));
    const text = q.toString();
    return `/${text ? `?${text}` : ""}`;
  };
  const first = (page - 1) * size + 1;
  const range = shown ? `${first}–${first + shown - 1} of ${total}` : `none of ${total}`;
  return html`<nav class="pager" aria-label="Pages">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">Newer</a>` : ""}
<span class="muted">${range}</span>
${first + shown - 1 < total ? html`<a href="${link(page + 1)}" rel="next">Older</a>` : ""}
</nav>`;
}

/** The weekly trend as inline SVG (the same drawing as the chat PNG), with its alt text as the figure caption. */
export async function trendFigure(
  deps: WebDeps,
  tag: TrendTag,
  subject: string,
  weeks: number,
): Promise<Html> {
  const today = new Date(deps.clock?.now() ?? Date.now()).toISOString().slice(0, 10);
  const trend = await trendOf(deps.insights, tag, subject, weeks, today);
  const other = weeks === 52 ? 26 : 52;
  // trendSvg escapes every text it draws; the SVG is ours, so it goes in unescaped.
  return html`<figure class="chart">
${raw(trendSvg(trend).replace("<svg ", `<svg aria-labelledby="chart-caption" `))}
<figcaption id="chart-caption" class="muted">${trend.counts.reduce((a, b) => a + b, 0)} stories in ${weeks} weeks. Weekly counts, oldest first: ${trend.counts.join(", ")}. <a href="?weeks=${other}">Show ${other} weeks</a></figcaption>
</figure>`;
}
