// `/channels` (subscriptions per channel, who added them and when, switched-off ones with the reason) and
// `/feeds` (each feed's health).

import { feedHealth, feedOriginText, formatEvery } from "../../core/feed-text.js";
import type { Subscription } from "../../store/subscriptions.js";
import { type Html, html, layout, linkOr } from "../html.js";
import type { WebDeps } from "../parts.js";

const modeOf = (s: Subscription) => (s.digest ? `${s.digest.mode} at ${s.digest.at}` : "each story");

function channelTable(channel: string, subs: Subscription[]): Html {
  return html`<h2>${channel}</h2>
<table><thead><tr><th scope="col">Tag</th><th scope="col">Delivery</th><th scope="col">Added by</th><th scope="col">Added</th><th scope="col">State</th></tr></thead>
<tbody>${subs.map(
    (s) =>
      html`<tr><td>${s.tag}</td><td>${modeOf(s)}</td><td>${s.createdBy}</td><td>${s.createdAt}</td><td class="status status-${s.disabledAt ? "failed" : "delivered"}">${
        s.disabledAt ? `switched off ${s.disabledAt}: ${s.disabledReason ?? "no reason recorded"}` : "active"
      }</td></tr>`,
  )}</tbody></table>`;
}

export async function channelsPage(deps: WebDeps, authed: boolean): Promise<Html> {
  const channels = await deps.insights.channels();
  const tables = await Promise.all(
    channels.map(async (ch) => channelTable(ch, await deps.subscriptions.subscriptions(ch))),
  );
  const off = (await deps.subscriptions.disabledSubscriptions()).length;
  const body = html`<h1>Channels</h1>
<p class="muted">${channels.length} ${channels.length === 1 ? "channel" : "channels"} with subscriptions; ${off} switched off by failed deliveries.</p>
${tables.length ? tables : html`<p>No channel has subscribed yet. In chat: /cyber subscribe country:nz</p>`}`;
  return layout("Channels", body, { authed });
}

export async function feedsPage(deps: WebDeps, authed: boolean): Promise<Html> {
  const feeds = await deps.feeds.listFeeds();
  const now = deps.clock?.now() ?? Date.now();
  const body = html`<h1>Feeds</h1>
${
  feeds.length
    ? html`<table><thead><tr><th scope="col">Id</th><th scope="col">Feed</th><th scope="col">Every</th><th scope="col">Added</th><th scope="col">Health</th></tr></thead>
<tbody>${feeds.map(
        (f) =>
          html`<tr><td>${f.id}</td><td>${linkOr(f.url, f.displayName)}<br><span class="muted">${f.url}</span></td><td>${formatEvery(f.everyMs)}</td><td>${feedOriginText(f)}</td><td class="status status-${f.failingSince ? "failed" : "delivered"}">${feedHealth(f, now)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>No feeds. Add one with <code>cyberbrief feed add URL</code> or /cyber feed add URL in chat.</p>`
}`;
  return layout("Feeds", body, { authed });
}
