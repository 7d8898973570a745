// Builds small RSS 2.0 documents for feed tests: items with or without GUID, date and link, in any order.

export interface RssItem {
  title: string;
  link?: string;
  guid?: string;
  /** A date; written as RFC 822 like real feeds. */
  date?: Date;
  description?: string;
}

const xmlText = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An RSS 2.0 document; `encoding` is declared in the prolog (the caller encodes the bytes to match). */
export function rss(items: readonly RssItem[], opts: { title?: string; encoding?: string } = {}): string {
  const body = items
    .map((i) =>
      [
        "<item>",
        `<title>${xmlText(i.title)}</title>`,
        i.link ? `<link>${xmlText(i.link)}</link>` : "",
        i.guid ? `<guid isPermaLink="false">${xmlText(i.guid)}</guid>` : "",
        i.date ? `<pubDate>${i.date.toUTCString()}</pubDate>` : "",
        `<description>${xmlText(i.description ?? `${i.title}. More text about this report.`)}</description>`,
        "</item>",
      ].join(""),
    )
    .join("\n");
  return `<?xml version="1.0" encoding="${opts.encoding ?? "UTF-8"}"?>
<rss version="2.0"><channel><title>${xmlText(opts.title ?? "Example Security News")}</title>
<link>https://news.example/</link><description>Test feed</description>
${body}
</channel></rss>`;
}

/** A plausible news item of `n`, published at `date`. */
export function newsItem(n: number, date?: Date, extra: Partial<RssItem> = {}): RssItem {
  return {
    title: `Report ${n}: APT40 targets networks in New Zealand`,
    link: `https://news.example/reports/${n}`,
    guid: `guid-${n}`,
    date,
    description: `Report number ${n}. Investigators say the group APT40 went after government networks in New Zealand.`,
    ...extra,
  };
}
