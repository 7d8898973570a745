// HTML for the web pages: hono's `html` template escapes every interpolated value unless it is itself `html`;
// the layout, the security headers and the one style sheet (/assets/style.css: the CSP allows styles only from here).

import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export { html, raw };
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The Content-Security-Policy of every page: nothing runs, styles and images only from this server. */
export const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Security headers sent with every page answer. */
export const PAGE_HEADERS: Record<string, string> = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

/** The page around `body`: title, navigation, and the search box on every page. */
export function layout(title: string, body: Html, opts: { q?: string; authed?: boolean } = {}): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · cyberbrief</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<header>
<nav aria-label="Main">
<a class="brand" href="/">cyberbrief</a>
<a href="/">Events</a>
<a href="/channels">Channels</a>
<a href="/feeds">Feeds</a>
</nav>
<form class="search" method="get" action="/" role="search">
<label for="q" class="visually-hidden">Search stories</label>
<input id="q" name="q" type="search" value="${opts.q ?? ""}" placeholder="Search stories (every word must appear)">
<button type="submit">Search</button>
</form>
${opts.authed ? html`<form method="post" action="/logout" class="logout"><button type="submit">Sign out</button></form>` : ""}
</header>
<main id="main">
${body}
</main>
<footer><p>Read-only view of the cyberbrief store. Ask in chat to change subscriptions or feeds.</p></footer>
</body>
</html>`;
}

/** An http(s) link to an article, or its text when it is not one (a file path is never a link). */
export function linkOr(url: string | null, text: string): Html {
  if (url && /^https?:\/\//i.test(url)) return html`<a href="${url}" rel="noreferrer noopener">${text}</a>`;
  return html`${text}`;
}

/** A path segment or query value, encoded. */
export const enc = (s: string): string => encodeURIComponent(s);

export const STYLE_CSS = `
:root { color-scheme: light; --ink: #1f2937; --muted: #4b5563; --line: #d1d5db; --accent: #1d4ed8; --bg: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); }
nav a { margin-right: 1rem; color: var(--accent); }
nav .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
.search { display: flex; gap: .5rem; flex: 1; min-width: 16rem; }
.search input { flex: 1; }
input, select, button { font: inherit; padding: .3rem .5rem; border: 1px solid #6b7280; border-radius: 4px; background: #fff; color: var(--ink); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
.logout button { background: #fff; color: var(--accent); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; padding: .75rem; border: 1px solid var(--line); border-radius: 6px; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
.events { list-style: none; padding: 0; }
.events li { padding: .75rem 0; border-bottom: 1px solid var(--line); }
.events h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.tags { display: flex; flex-wrap: wrap; gap: .35rem; list-style: none; padding: 0; margin: .35rem 0 0; }
.tags li { border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--muted); }
.status { font-weight: 600; }
.status-delivered { color: #166534; } .status-failed { color: #b91c1c; } .status-queued { color: #92400e; }
.status-filtered, .status-not-sent, .status-cancelled { color: var(--muted); }
.pager { display: flex; gap: 1rem; margin: 1rem 0; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.card dt { color: var(--muted); }
.chart svg { max-width: 100%; height: auto; border: 1px solid var(--line); }
.notice { padding: .5rem .75rem; border-left: 4px solid #b45309; background: #fffbeb; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { color: var(--muted); font-size: .85rem; padding: 1rem 1.5rem; border-top: 1px solid var(--line); }
`;
