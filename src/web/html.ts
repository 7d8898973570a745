// HTML for the web pages: hono's `html` template escapes every interpolated value unless it is itself `html`.

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
