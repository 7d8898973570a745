// `/cyber why <id>`: the words behind each tag, the story's sources, and what happened to it in this channel.

import type { Reply, ReplyField } from "../core/cards.js";
import { type Clock, systemClock } from "../core/clock.js";
import { periodOf } from "../core/digest.js";
import { isFeedKey } from "../core/story.js";
import { keywordOf, storyTagKeys, type TagKey } from "../core/tags.js";
import type { StoryDelivery } from "../store/outbox.js";
import type { Subscription, SubscriptionStore } from "../store/subscriptions.js";
import type { StoryReasons, StorySource, StoryStore } from "../store/types.js";
import { plural, reply } from "./replies.js";
import type { NameResolver } from "./resolve.js";
import { quoteWords, tagFields } from "./story-reply.js";
import type { ChatCommand } from "./types.js";

export interface WhyDeps {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  names: NameResolver;
  /** CYBERBRIEF_TZ ("UTC" when not given) and the clock, to say which digest a story goes in. */
  zone?: string;
  clock?: Clock;
}

/** The relevance rule's reason, worded once: a non-cyber story does not reach `all` subscribers. */
export const NOT_CYBER = "not about hacking: the cyber signal found no actor, CVE or cyber vocabulary";

/** Always private: it names the channel's subscriptions and delivery errors, which only the asker asked for. */
export async function whyReply(deps: WhyDeps, cmd: ChatCommand, id: string): Promise<Reply> {
  const reasons = await deps.store.storyReasons(id);
  if (!reasons) {
    return reply("empty", `No story with id ${id}`, {
      text: ["Story ids are the short codes shown in lists, e.g. /cyber latest."],
      private: true,
    });
  }
  const { story } = reasons;
  const [rows, subs] = await Promise.all([
    deps.store.deliveriesOf(story.id, cmd.channelRef),
    deps.subscriptions.subscriptions(cmd.channelRef),
  ]);
  // Keyword watches match the story's text: the store's full-text index says which of this channel's do.
  const watches = subs.filter((s) => s.disabledAt === null && keywordOf(s.tag) !== null).map((s) => s.tag);
  const phrases = watches.length > 0 ? await deps.store.keywordsIn(story.id, watches) : [];
  const fields: ReplyField[] = [
    ...tagFields(deps.names, story),
    { label: "Cyber signal", value: cyberLine(reasons), inline: false },
    ...reasons.sources.map((s, i) => ({
      label: reasons.sources.length === 1 ? "Source" : `Source ${i + 1}`,
      value: sourceLine(s),
      inline: false,
    })),
    {
      label: "This channel",
      value: channelLine(
        reasons,
        rows,
        subs,
        { zone: deps.zone ?? "UTC", now: (deps.clock ?? systemClock).now() },
        phrases,
      ),
      inline: false,
    },
  ];
  return reply("answer", `Why: ${story.title}`, {
    text: [`Story ${story.id} (revision ${story.revision}), dated ${story.date}.`],
    fields,
    footer: `The story itself: /cyber story ${story.id}`,
    private: true,
  });
}

function cyberLine(r: StoryReasons): string {
  if (!r.cyber) return NOT_CYBER;
  if (!r.cyberWords || r.cyberWords.length === 0)
    return "about hacking (stored before the signal's words were kept)";
  return `about hacking: matched ${quoteWords(r.cyberWords)}`;
}

/** "The Record: https://…, 2024-07-09"; a file story names its file; a merged source says why it joined. */
export function sourceLine(s: StorySource): string {
  const where = s.url ?? s.path;
  const from = s.source && (s.url || isFeedKey(s.path)) ? `${s.source}: ${where}` : where;
  const why = s.why && s.why.length > 0 ? `; merged: ${s.why.join(", ")}` : "";
  return `${from}, ${s.date}${why}`;
}

/** "2024-07-09 10:00 UTC" from epoch milliseconds. */
const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** What the outbox row says, or why there is none (the same matching rule routing uses). */
export function channelLine(
  r: StoryReasons,
  rows: StoryDelivery[],
  subs: Subscription[],
  at: { zone: string; now: number } = { zone: "UTC", now: Date.now() },
  /** The channel's keyword watches the story's text contains. */
  phrases: readonly TagKey[] = [],
): string {
  const alert = rows.find((d) => d.kind === "alert");
  // A later source of an event the channel was alerted to goes in that alert's thread (or says why not).
  const replies = rows
    .filter((d) => d.kind === "source")
    .map((d) => `later source of an event alerted here (${d.tags}): thread reply ${state(d)}`);
  if (alert) {
    const edits = rows.filter((d) => d.kind === "update").map((d) => `edit after a revision ${state(d)}`);
    return [`alert ${state(alert)} (matched ${alert.tags})`, ...edits, ...replies].join("; ");
  }
  if (replies.length > 0) return replies.join("; ");
  const digest = rows.find((d) => d.kind === "digest");
  if (digest)
    return `in the ${digest.mode ?? ""} digest of ${digest.period ?? "?"}: ${state(digest)} (matched ${digest.tags})`;
  const active = subs.filter((s) => s.disabledAt === null);
  if (active.length === 0)
    return "filtered: this channel has no subscriptions (follow a tag with /cyber subscribe <tag>)";
  const keys = new Set<TagKey>([...storyTagKeys({ ...r.story, cyber: r.cyber }), ...phrases]);
  const matching = active.filter((s) => keys.has(s.tag));
  if (matching.length === 0) {
    const others = active.filter((s) => s.tag !== "all").map((s) => s.tag);
    const tags = [...keys].filter((k) => k !== "all");
    const story = tags.length ? `its tags (${tags.join(", ")})` : "it (it has no tags)";
    const noMatch = `none of this channel's subscriptions (${others.join(", ")}) match ${story}`;
    if (!r.cyber && active.some((s) => s.tag === "all"))
      return `filtered: ${NOT_CYBER}${others.length ? `; and ${noMatch}` : ""}`;
    return `filtered: ${noMatch}`;
  }
  const matched = matching.map((s) => s.tag).join(", ");
  const later = matching.every((s) => s.createdAt > r.story.updatedAt);
  const digests = matching.filter((s) => s.digest !== null);
  if (!later && digests.length === matching.length) return digestLine(r, digests[0] as Subscription, at);
  return later
    ? `not sent: it matches ${matched}, but was stored before this channel subscribed`
    : `not sent: it matches ${matched}, but was stored without alerts (a feed's first poll)`;
}

/** A story whose matching subscriptions are digests: which digest it goes in (or should have gone in). */
function digestLine(r: StoryReasons, sub: Subscription, at: { zone: string; now: number }): string {
  const schedule = sub.digest as NonNullable<Subscription["digest"]>;
  const period = periodOf(Date.parse(r.story.ingestedAt), schedule, at.zone);
  const which = `the ${schedule.mode} digest`;
  return period.end > at.now
    ? `filtered (digest): goes in ${which} at ${schedule.at} ${at.zone} (${period.label}; matched ${sub.tag})`
    : `filtered (digest): due in ${which} of ${period.label}, not queued (nothing was gathered for this channel then: the bot was down, or the subscription took its schedule later; matched ${sub.tag})`;
}

function state(d: StoryDelivery): string {
  switch (d.status) {
    case "sent":
      return `delivered ${d.sentAt === null ? "" : when(d.sentAt)}`.trim();
    case "sending":
      return `queued: being sent now (queued ${when(d.createdAt)})`;
    case "pending":
      return d.attempts > 0 && d.lastError
        ? `queued: retrying at ${when(d.nextAttemptAt)} after ${plural(d.attempts, "failed attempt")} (${d.lastError})`
        : `queued since ${when(d.createdAt)}`;
    case "failed":
      return `failed after ${plural(d.attempts, "attempt")}: ${d.lastError ?? "no reason recorded"}`;
    case "cancelled":
      return `cancelled: ${d.lastError ?? "no reason recorded"}`;
  }
}
