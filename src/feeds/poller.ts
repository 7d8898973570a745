// One poll of one feed: a polite conditional GET, the items parsed and keyed by identity, new and changed items
// analysed and stored through the same save path as files, and the feed's health and validators recorded.

import { createHash } from "node:crypto";
import type { Article } from "../core/article.js";
import type { Reply } from "../core/cards.js";
import { isoNow } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import { shownUrl } from "../core/feed-text.js";
import type { Feed, FeedState } from "../core/feeds.js";
import type { FileRecord, SaveItem } from "../core/story.js";
import { entryArticle } from "./entry-article.js";
import { FEED_ACCEPT, fullTextOf } from "./fulltext-fetch.js";
import { dedupeEntries } from "./identity.js";
import { healthNotice } from "./notices.js";
import { parseFeedBody } from "./parse.js";
import { emptyReport, MAX_ITEMS_PER_POLL, type PollerDeps, type PollReport } from "./poll-types.js";
import { afterFailure, afterSuccess, dueUnhealthyNotice } from "./schedule.js";
import type { FeedEntry, FetchResult } from "./types.js";

export class FeedPoller {
  private readonly random: () => number;

  constructor(private readonly deps: PollerDeps) {
    this.random = deps.random ?? Math.random;
  }

  /** Poll one feed now; never throws (a failure is recorded on the feed and reported). */
  async poll(feed: Feed, signal?: AbortSignal): Promise<PollReport> {
    const report = emptyReport(feed.id, "failed");
    const policy = feed.origin === "chat" ? "public" : "any";
    const started = this.deps.clock.now();
    let got: FetchResult;
    try {
      got = await this.deps.fetcher.fetch({
        url: feed.url,
        etag: feed.etag,
        lastModified: feed.lastModified,
        accept: FEED_ACCEPT,
        policy,
        signal,
      });
    } catch (err) {
      got = { kind: "failed", reason: errorMessage(err), status: null, retryAfterMs: null };
    }
    if (got.kind === "failed") return this.failed(feed, report, got.reason, got.retryAfterMs);
    if (got.kind === "not-modified") {
      await this.succeeded(
        feed,
        { etag: got.etag ?? feed.etag, lastModified: got.lastModified ?? feed.lastModified },
        got.maxAgeMs,
        0,
      );
      report.result = "not-modified";
      return report;
    }
    // A server without 304 support sending the very same bytes: nothing to parse, nothing new.
    const bodyHash = createHash("sha256").update(got.body).digest("hex");
    if (feed.baselined && feed.bodyHash === bodyHash) {
      await this.succeeded(feed, { etag: got.etag, lastModified: got.lastModified }, got.maxAgeMs, 0);
      report.result = "not-modified";
      return report;
    }
    const parsed = parseFeedBody(got.body, got.contentType, got.url);
    if (parsed.kind === "invalid") return this.failed(feed, report, parsed.reason, null);
    try {
      // Keys come from the feed's own URL, not where it redirected to: a moved feed keeps its items' identity.
      const seen = await this.store(feed, parsed.feed.entries, started, report, signal);
      await this.succeeded(
        feed,
        { etag: got.etag, lastModified: got.lastModified, title: parsed.feed.title ?? feed.title, bodyHash },
        got.maxAgeMs,
        seen,
      );
    } catch (err) {
      this.deps.log.error({ err, feed: feed.id }, "could not store a feed's items");
      return this.failed(feed, report, `internal error while storing: ${errorMessage(err)}`, null);
    }
    report.result = "ok";
    return report;
  }

  /** Analyse and save what is new or changed; returns how many items were never seen before. */
  private async store(
    feed: Feed,
    entries: FeedEntry[],
    fetchedAt: number,
    report: PollReport,
    signal?: AbortSignal,
  ): Promise<number> {
    const all = dedupeEntries(entries, feed.url);
    // A feed lists its newest items first; a hostile one listing tens of thousands is read only this far.
    const keyed = all.slice(0, MAX_ITEMS_PER_POLL);
    if (all.length > keyed.length) {
      this.deps.log.warn(
        { feed: feed.id, items: all.length, read: keyed.length },
        "feed lists too many items; read the first",
      );
    }
    report.items = keyed.length;
    const known = await this.deps.store.fileRecords(keyed.map((k) => k.key));
    const when = new Date(fetchedAt);
    const addedAt = Date.parse(feed.addedAt);
    const items: SaveItem[] = [];
    let unseen = 0;
    for (const { key, entry } of keyed) {
      const record = known.get(key);
      if (!record) unseen++;
      // The first poll alerts only what was published after the feed was added; an undated item is old news.
      const alert = feed.baselined || (entry.published !== null && Date.parse(entry.published) > addedAt);
      const article = await this.article(feed, entry, key, when, record, alert, signal);
      if (!article) {
        report.unchanged++;
        continue;
      }
      const size = Buffer.byteLength(article.body);
      items.push({
        article,
        analysis: await this.deps.analyse(article),
        file: { path: key, size, mtimeMs: fetchedAt },
        alert,
      });
    }
    if (items.length === 0) return unseen;
    const outcomes = await this.deps.store.saveArticles(items);
    for (const [i, outcome] of outcomes.entries()) {
      const item = items[i] as SaveItem;
      if (outcome.kind === "new") {
        report.new++;
        if (item.alert === false) report.quiet++;
      } else if (outcome.kind === "revised") report.revised++;
      else if (outcome.kind === "duplicate") report.duplicate++;
      else report.unchanged++;
      if (outcome.kind === "new" || outcome.kind === "revised") {
        this.deps.log.info(
          { story: outcome.storyId, revision: outcome.revision, feed: feed.id, url: item.article.url },
          `stored ${outcome.kind} story from a feed`,
        );
        this.deps.onStored?.(item.article, outcome);
      }
    }
    return unseen;
  }

  /**
   * The article to save for an item, or null when nothing changed: a known item is compared by its text's hash
   * (a full-text feed's known items are not fetched again). A new teaser of a full-text feed gets its page's text.
   */
  private async article(
    feed: Feed,
    entry: FeedEntry,
    key: string,
    when: Date,
    record: FileRecord | undefined,
    alert: boolean,
    signal?: AbortSignal,
  ): Promise<Article | null> {
    const source = feed.displayName;
    if (record && feed.fullText) return null;
    const plain = entryArticle(entry, { key, source, fetchedAt: when });
    if (record) return record.contentHash === plain.contentHash ? null : plain;
    // Only items that will be alerted are worth a page fetch; the baseline keeps its teasers.
    if (!feed.fullText || !alert) return plain;
    const full = await fullTextOf(
      entry,
      this.deps.fetcher,
      feed.origin === "chat" ? "public" : "any",
      signal,
    );
    if (full.error)
      this.deps.log.info({ feed: feed.id, url: entry.link, reason: full.error }, "kept the item's teaser");
    return full.entry ? entryArticle(full.entry, { key, source, fetchedAt: when }) : plain;
  }

  private async succeeded(
    feed: Feed,
    state: Partial<FeedState>,
    maxAgeMs: number | null,
    seen: number,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const recovered = feed.unhealthyNotifiedAt !== null;
    await this.deps.feeds.updateFeed(feed.id, {
      ...state,
      lastPollAt: isoNow(this.deps.clock),
      lastSuccessAt: isoNow(this.deps.clock),
      failingSince: null,
      failures: 0,
      nextPollAt: new Date(now + afterSuccess(feed.everyMs, maxAgeMs)).toISOString(),
      itemsSeen: feed.itemsSeen + seen,
      baselined: true,
      unhealthyNotifiedAt: null,
    });
    if (recovered) await this.tell(feed, healthNotice(feed, "recovered", now));
  }

  private async failed(
    feed: Feed,
    report: PollReport,
    reason: string,
    retryAfterMs: number | null,
  ): Promise<PollReport> {
    const now = this.deps.clock.now();
    const failures = feed.failures + 1;
    const failingSince = feed.failingSince ?? isoNow(this.deps.clock);
    const notify = dueUnhealthyNotice(failingSince, feed.unhealthyNotifiedAt, now);
    const delay = afterFailure(feed.everyMs, failures, retryAfterMs, this.random);
    this.deps.log[failures === 1 ? "warn" : "info"](
      { feed: feed.id, url: shownUrl(feed.url), reason, failures, retryInMs: delay },
      "feed poll failed",
    );
    await this.deps.feeds.updateFeed(feed.id, {
      lastPollAt: isoNow(this.deps.clock),
      lastError: reason,
      lastErrorAt: isoNow(this.deps.clock),
      failingSince,
      failures,
      nextPollAt: new Date(now + delay).toISOString(),
      unhealthyNotifiedAt: notify ? isoNow(this.deps.clock) : feed.unhealthyNotifiedAt,
    });
    if (notify) {
      await this.tell(feed, healthNotice({ ...feed, lastError: reason, failingSince }, "failing", now));
    }
    report.error = reason;
    return report;
  }

  private async tell(feed: Feed, reply: Reply): Promise<void> {
    if (feed.followers.length === 0 || !this.deps.notify) {
      this.deps.log.warn({ feed: feed.id, headline: reply.headline }, reply.text.join(" "));
      return;
    }
    try {
      await this.deps.notify(feed.followers, reply);
    } catch (err) {
      this.deps.log.warn({ err: errorMessage(err), feed: feed.id }, "could not send a feed health notice");
    }
  }
}
