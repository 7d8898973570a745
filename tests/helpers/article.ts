// A one-paragraph Article for store and export tests: its title is the body's first sentence unless given.

import type { Article } from "../../src/core/article.js";

export function paragraphArticle(path: string, body: string, extra: Partial<Article> = {}): Article {
  return {
    path,
    title: body.split(".")[0] ?? body,
    date: "2024-03-25",
    dateEstimated: false,
    url: null,
    source: null,
    blocks: [{ kind: "paragraph", text: body }],
    body,
    contentHash: `h-${body}`,
    ...extra,
  };
}
