// subscribe, unsubscribe and subscriptions: the channel's alert tags, behind the adapter's permission check.

import { type Reply, storyCard } from "../core/cards.js";
import { type DigestSchedule, describeSchedule } from "../core/digest.js";
import { type SubscriptionTag, tagKey } from "../core/tags.js";
import type { SubscriptionStore } from "../store/subscriptions.js";
import type { StoryStore, TagQuery } from "../store/types.js";
import type { TagArg } from "./parse.js";
import { plural, reply } from "./replies.js";
import { didYouMean, type NameResolver, resolveTag, subscriptionTag } from "./resolve.js";
import type { ChatCommand } from "./types.js";

export interface SubscribeDeps {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  names: NameResolver;
  /** CYBERBRIEF_TZ, the zone digest times are in ("UTC" when not given). */
  zone?: string;
}

/** How a tag reads to people: "country:NZ (🇳🇿 New Zealand, mentioned or blamed)". */
export function describeTag(names: NameResolver, tag: SubscriptionTag): string {
  switch (tag.kind) {
    case "actor":
      return `${tagKey(tag)} (${names.actor(tag.id)?.name ?? tag.id})`;
    case "country":
    case "sponsor": {
      const c = names.country(tag.code);
      const what = tag.kind === "sponsor" ? "stories that blame it" : "mentioned or blamed";
      return `${tagKey(tag)} (${c ? `${c.flag} ${c.name}` : tag.code}, ${what})`;
    }
    case "all":
      return "all (every new story)";
  }
}

function storyQuery(tag: SubscriptionTag): TagQuery | null {
  if (tag.kind === "actor") return { kind: "actor", id: tag.id };
  if (tag.kind === "country") return { kind: "country", code: tag.code };
  if (tag.kind === "sponsor") return { kind: "country", code: tag.code, role: "sponsor" };
  return null;
}

function resolveOrExplain(
  deps: SubscribeDeps,
  arg: TagArg,
  verb: string,
): { tag: SubscriptionTag } | { reply: Reply } {
  const resolved = resolveTag(deps.names, arg);
  const tag = subscriptionTag(resolved);
  if (tag) return { tag };
  const typed = resolved.kind === "unknown" ? resolved.typed : "";
  const hint = resolved.kind === "unknown" ? didYouMean(resolved.suggestions) : "";
  return {
    reply: reply("usage", `I don't know an actor or country called "${typed}"`, {
      text: [
        hint,
        `Tags look like actor:apt40, country:nz, sponsor:cn or all, e.g. /cyber ${verb} country:nz`,
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
  const recent = query ? await deps.store.byTag(query, 3) : await deps.store.latest(3);
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

/** "a daily digest at 08:00 UTC", "a weekly digest on Mondays at 08:00 UTC" or "a stream (each story as it comes)". */
function scheduleWords(deps: SubscribeDeps, digest: DigestSchedule | null): string {
  if (!digest) return "a stream (each story as it comes)";
  const when = describeSchedule(digest, deps.zone ?? "UTC").replace(/^(daily|weekly) /, "");
  return `a ${digest.mode} digest ${when}`;
}

function whatComes(deps: SubscribeDeps, digest: DigestSchedule | null, key: string): string {
  if (!digest) return "New stories with this tag will be posted here.";
  return `One message ${describeSchedule(digest, deps.zone ?? "UTC")} will list the stories of the ${digest.mode === "daily" ? "day" : "week"} before it, one line per event, most-reported first (nothing when there is nothing). Back to a message per story: /cyber subscribe ${key}`;
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
    label: s.tag,
    value: s.disabledAt
      ? `switched off ${s.disabledAt.slice(0, 10)}: ${s.disabledReason ?? "delivery failed"}`
      : `${s.digest ? describeSchedule(s.digest, deps.zone ?? "UTC") : "stream"}; since ${s.createdAt.slice(0, 10)} by ${s.createdBy}`,
    inline: false,
  }));
  return reply("answer", `This channel follows ${plural(subs.filter((s) => !s.disabledAt).length, "tag")}`, {
    fields,
  });
}
