// subscribe, unsubscribe and subscriptions: the channel's alert tags, behind the adapter's permission check.

import { type Reply, storyCard } from "../core/cards.js";
import { type DigestSchedule, describeSchedule } from "../core/digest.js";
import { keywordOf, type SubscriptionTag, type TagKey, tagKey } from "../core/tags.js";
import { MAX_KEYWORDS_PER_CHANNEL, type SubscriptionStore } from "../store/subscriptions.js";
import type { StoryStore, TagQuery } from "../store/types.js";
import type { MalwareNames } from "./malware-names.js";
import type { TagArg } from "./parse-words.js";
import { plural, reply } from "./replies.js";
import { didYouMean, type NameResolver, resolveTag, subscriptionTag } from "./resolve.js";
import type { ChatCommand } from "./types.js";

export interface SubscribeDeps {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  names: NameResolver;
  /** Malware aliases (data/malware.json); without it no malware name resolves. */
  malware?: MalwareNames;
  /** CYBERBRIEF_TZ, the zone digest times are in ("UTC" when not given). */
  zone?: string;
}

/** A tag key as people read it: a keyword's phrase in quotes ('keyword:"electoral commission"'). */
export function showKey(key: TagKey | string): string {
  const phrase = keywordOf(key);
  return phrase === null ? key : `keyword:"${phrase}"`;
}

/** How a tag reads to people: "country:NZ (🇳🇿 New Zealand, mentioned, blamed or attacked)". */
export function describeTag(names: NameResolver, tag: SubscriptionTag): string {
  const key = tagKey(tag);
  switch (tag.kind) {
    case "actor":
      return `${key} (${names.actor(tag.id)?.name ?? tag.id})`;
    case "country":
    case "sponsor":
    case "target": {
      const c = names.country(tag.code);
      const what =
        tag.kind === "sponsor"
          ? "stories that blame it"
          : tag.kind === "target"
            ? "stories in which it was attacked"
            : "mentioned, blamed or attacked";
      return `${key} (${c ? `${c.flag} ${c.name}` : tag.code}, ${what})`;
    }
    case "sector":
      return `${key} (victims in ${tag.id})`;
    case "malware":
      return `${key} (the malware family)`;
    case "cve":
      return `${key} (stories naming it)`;
    case "keyword":
      return `${showKey(key)} (stories whose title or text contains it, in any word form search finds)`;
    case "all":
      return "all (every new story)";
  }
}

function storyQuery(tag: SubscriptionTag): TagQuery | null {
  switch (tag.kind) {
    case "actor":
      return { kind: "actor", id: tag.id };
    case "country":
      return { kind: "country", code: tag.code };
    case "sponsor":
    case "target":
      return { kind: "country", code: tag.code, role: tag.kind };
    case "sector":
    case "malware":
    case "cve":
      return { kind: tag.kind, id: tag.id };
    default:
      return null;
  }
}

function resolveOrExplain(
  deps: SubscribeDeps,
  arg: TagArg,
  verb: string,
): { tag: SubscriptionTag } | { reply: Reply } {
  const resolved = resolveTag(deps.names, arg, deps.malware);
  const tag = subscriptionTag(resolved);
  if (tag) return { tag };
  if (resolved.kind === "invalid") return { reply: reply("usage", resolved.problem) };
  const typed = resolved.kind === "unknown" ? resolved.typed : "";
  const hint = resolved.kind === "unknown" ? didYouMean(resolved.suggestions) : "";
  return {
    reply: reply("usage", `I don't know an actor or country called "${typed}"`, {
      text: [
        hint,
        `Tags look like actor:apt40, country:nz, sponsor:cn, target:nz, sector:healthcare, malware:plugx, cve:CVE-2024-3400, keyword:"a phrase" or all, e.g. /cyber ${verb} country:nz`,
      ].filter(Boolean),
    }),
  };
}

/** Null when the user may manage this channel (subscriptions, feeds); else the polite refusal. */
export async function permitted(
  cmd: ChatCommand,
  what = "change this channel's subscriptions",
): Promise<Reply | null> {
  const decision = await cmd.canManageSubscriptions();
  if (decision.allowed) return null;
  return reply("refused", `Sorry, you can't ${what}`, {
    text: [`That needs ${decision.needed}. Anyone can still ask questions, e.g. /cyber latest.`],
  });
}

/** The tag a subscription change is about, once it resolves and the user may change this channel; else the reply. */
async function tagToChange(
  deps: SubscribeDeps,
  cmd: ChatCommand,
  arg: TagArg,
  verb: "subscribe" | "unsubscribe",
): Promise<{ tag: SubscriptionTag } | { reply: Reply }> {
  const resolved = resolveOrExplain(deps, arg, verb);
  if ("reply" in resolved) return resolved;
  const refused = await permitted(cmd);
  return refused ? { reply: refused } : resolved;
}

export async function subscribeReply(
  deps: SubscribeDeps,
  cmd: ChatCommand,
  arg: TagArg,
  digest: DigestSchedule | null = null,
): Promise<Reply> {
  const change = await tagToChange(deps, cmd, arg, "subscribe");
  if ("reply" in change) return change.reply;
  const { tag } = change;
  const key = tagKey(tag);
  if (tag.kind === "keyword") {
    const full = await keywordsFull(deps, cmd.channelRef, key);
    if (full) return full;
  }
  const described = describeTag(deps.names, tag);
  const result = await deps.subscriptions.subscribe(cmd.channelRef, key, cmd.userName ?? cmd.user, digest);
  const how = scheduleWords(deps, digest);
  if (result.switched) {
    return reply("answer", `This channel now gets ${described} as ${digest ? how : "a stream"}`, {
      text: [`It was: ${scheduleWords(deps, result.switched.from)}.`, whatComes(deps, digest, key)],
      private: false,
    });
  }
  const query = storyQuery(tag);
  const phrase = keywordOf(key);
  const recent = query
    ? await deps.store.byTag(query, 3)
    : phrase !== null
      ? await deps.store.search([phrase], 3)
      : await deps.store.latest(3);
  return reply(
    "answer",
    result.created
      ? `Subscribed this channel to ${described}${digest ? ` as ${how}` : ""}`
      : `This channel is already subscribed to ${described}${digest ? ` as ${how}` : ""}`,
    {
      text: [
        result.created ? whatComes(deps, digest, key) : "Nothing changed.",
        recent.total === 0
          ? "No stored story matches yet."
          : recent.total === 1
            ? "The one matching story so far:"
            : recent.total <= recent.stories.length
              ? `The ${recent.total} matching stories so far:`
              : `The latest ${recent.stories.length} of ${recent.total} matching stories:`,
      ],
      stories: recent.stories.map((s) => storyCard(s)),
      private: false,
    },
  );
}

/** The refusal when the channel already has the most keyword watches it may have (null: room for this one). */
async function keywordsFull(deps: SubscribeDeps, channelRef: string, key: TagKey): Promise<Reply | null> {
  const subs = await deps.subscriptions.subscriptions(channelRef);
  const watches = subs.filter((s) => keywordOf(s.tag) !== null);
  if (watches.some((s) => s.tag === key) || watches.length < MAX_KEYWORDS_PER_CHANNEL) return null;
  return reply(
    "refused",
    `This channel already has ${MAX_KEYWORDS_PER_CHANNEL} keyword watches, the most it can have; remove one first (/cyber unsubscribe ${showKey(watches[0]?.tag ?? "keyword:…")})`,
  );
}

/** "a daily digest at 08:00 UTC", "a weekly digest on Mondays at 08:00 UTC" or "a stream (each story as it comes)". */
function scheduleWords(deps: SubscribeDeps, digest: DigestSchedule | null): string {
  if (!digest) return "a stream (each story as it comes)";
  const when = describeSchedule(digest, deps.zone ?? "UTC").replace(/^(daily|weekly) /, "");
  return `a ${digest.mode} digest ${when}`;
}

function whatComes(deps: SubscribeDeps, digest: DigestSchedule | null, key: string): string {
  if (!digest) return "New stories with this tag will be posted here.";
  return `One message ${describeSchedule(digest, deps.zone ?? "UTC")} will list the stories of the ${digest.mode === "daily" ? "day" : "week"} before it, one line per event, most-reported first (nothing when there is nothing). Back to a message per story: /cyber subscribe ${showKey(key)}`;
}

export async function unsubscribeReply(deps: SubscribeDeps, cmd: ChatCommand, arg: TagArg): Promise<Reply> {
  const change = await tagToChange(deps, cmd, arg, "unsubscribe");
  if ("reply" in change) return change.reply;
  const { tag } = change;
  const described = describeTag(deps.names, tag);
  const { removed } = await deps.subscriptions.unsubscribe(
    cmd.channelRef,
    tagKey(tag),
    cmd.userName ?? cmd.user,
  );
  if (!removed) {
    return reply("empty", `This channel was not subscribed to ${described}`, {
      text: ["See what it follows: /cyber subscriptions"],
    });
  }
  return reply("answer", `Unsubscribed this channel from ${described}`, { private: false });
}

export async function subscriptionsReply(deps: SubscribeDeps, cmd: ChatCommand): Promise<Reply> {
  const subs = await deps.subscriptions.subscriptions(cmd.channelRef);
  if (subs.length === 0) {
    return reply("empty", "This channel has no subscriptions", {
      text: ["Add one: /cyber subscribe country:nz"],
    });
  }
  const fields = subs.map((s) => ({
    label: showKey(s.tag),
    value: s.disabledAt
      ? `switched off ${s.disabledAt.slice(0, 10)}: ${s.disabledReason ?? "delivery failed"}`
      : `${s.digest ? describeSchedule(s.digest, deps.zone ?? "UTC") : "stream"}; since ${s.createdAt.slice(0, 10)} by ${s.createdBy}`,
    inline: false,
  }));
  return reply("answer", `This channel follows ${plural(subs.filter((s) => !s.disabledAt).length, "tag")}`, {
    fields,
  });
}
