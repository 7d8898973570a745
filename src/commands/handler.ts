// The command layer every adapter calls: parse, answer from the store, and never throw at the caller.

import { randomBytes } from "node:crypto";
import type { Reply } from "../core/cards.js";
import { type Clock, systemClock } from "../core/clock.js";
import type { FeedStore, UrlCheck } from "../core/feeds.js";
import { packagePath } from "../core/paths.js";
import { stripFormat } from "../core/text.js";
import type { Logger } from "../log/logger.js";
import type { InsightStore } from "../store/insights.js";
import type { SubscriptionStore } from "../store/subscriptions.js";
import type { StoryStore } from "../store/types.js";
import { feedAddReply, feedRemoveReply, feedsReply } from "./feeds.js";
import { actorReply, countryReply, latestReply, searchReply, tagReply } from "./lookup.js";
import { type MalwareNames, malwareNames } from "./malware-names.js";
import { COMMAND_WORDS, type Intent, parseCommand } from "./parse.js";
import { splitWords } from "./parse-words.js";
import { helpReply, reply, usageReply } from "./replies.js";
import { didYouMean, type NameResolver, resolveTag } from "./resolve.js";
import { storyReply } from "./story-reply.js";
import { subscribeReply, subscriptionsReply, unsubscribeReply } from "./subscribe.js";
import { trendReply } from "./trend.js";
import type { ChatCommand, CommandHandler, Suggestion } from "./types.js";
import { whyReply } from "./why.js";

export interface CommandDeps {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  feeds: FeedStore;
  /** Checks a feed URL typed in chat before it is added (main.ts: feeds/guard.ts `publicUrlCheck()`). */
  urlCheck: UrlCheck;
  names: NameResolver;
  /** Malware aliases for `malware:` tags; by default the package's data/malware.json, read on first use. */
  malware?: MalwareNames;
  log: Logger;
  /** Observes each command's duration (metrics); optional. */
  observe?: (intent: string, seconds: number) => void;
  /** For "5 min ago" in feed health; the system clock by default. */
  clock?: Clock;
  /** CYBERBRIEF_TZ: the zone digest times are in ("UTC" when not given). */
  zone?: string;
  /** Weekly counts for `/cyber trend`; without it the command says charts are not available. */
  insights?: InsightStore;
  /** The chart font file (the package's data/fonts/inter by default). */
  chartFont?: string;
}

export function createCommandHandler(given: CommandDeps): CommandHandler {
  const deps = { ...given, malware: given.malware ?? malwareNames(packagePath("data")) };
  return {
    async handle(cmd: ChatCommand): Promise<Reply> {
      const started = performance.now();
      let intent: Intent = { kind: "usage", problem: "" };
      try {
        intent = parseCommand(cmd.text);
        return await answer(deps, cmd, intent);
      } catch (err) {
        return commandFailed(deps.log, err, cmd, { intent: intent.kind });
      } finally {
        deps.observe?.(intent.kind, (performance.now() - started) / 1000);
      }
    },
    suggest: (partial, limit) => suggest(deps.names, partial, limit, deps.malware),
  };
}

// When a command fails: one answer on every platform, logged with an error id that the answer shows.

/** A short id that ties what the asker sees to the log line an admin looks for. */
export function newErrorId(): string {
  return randomBytes(4).toString("hex");
}

/** The apology for `errorId`: private (an error), and the same wording on every platform. */
export function failedReply(errorId: string): Reply {
  return reply("error", "Sorry, something went wrong answering that", {
    text: [`Please try again in a moment. If it keeps happening, give your admin this error id: ${errorId}`],
    errorId,
  });
}

/** Logs `err` as a failed command (with the error id) and returns the apology to show instead. */
export function commandFailed(
  log: Logger,
  err: unknown,
  command: ChatCommand,
  context: Record<string, unknown> = {},
): Reply {
  const errorId = newErrorId();
  log.error({ err, errorId, channel: command.channelRef, text: command.text, ...context }, "command failed");
  return failedReply(errorId);
}

/**
 * How every adapter asks a command handler: a handler that throws (a bug, or a handler other than ours) still
 * gets the asker an answer, and the log gets the error with the id the answer shows.
 */
export async function safeHandle(handler: CommandHandler, command: ChatCommand, log: Logger): Promise<Reply> {
  try {
    return await handler.handle(command);
  } catch (err) {
    return commandFailed(log, err, command);
  }
}

const feedDeps = (deps: CommandDeps) => ({ ...deps, clock: deps.clock ?? systemClock });

async function answer(deps: CommandDeps, cmd: ChatCommand, intent: Intent): Promise<Reply> {
  const command = `/cyber ${cmd.text
    .trim()
    .replace(/^\/?cyber\s*/i, "")
    .replace(/\s+(page\s+\d+|p\d+)$/i, "")}`;
  switch (intent.kind) {
    case "help":
      return helpReply(intent.topic);
    case "usage":
      return usageReply(intent.problem, intent.topic);
    case "latest":
      return latestReply(deps, intent.count, intent.page);
    case "story":
      return storyReply(deps, intent.id);
    case "why":
      return whyReply(deps, cmd, intent.id);
    case "search":
      return searchReply(deps, intent.terms, intent.page, command);
    case "trend":
      return trendReply(deps, intent.tag, intent.weeks);
    case "subscribe":
      return subscribeReply(deps, cmd, intent.tag, intent.digest ?? null);
    case "unsubscribe":
      return unsubscribeReply(deps, cmd, intent.tag);
    case "subscriptions":
      return subscriptionsReply(deps, cmd);
    case "feeds":
      return feedsReply(feedDeps(deps), cmd, intent.page);
    case "feed-add":
      return feedAddReply(feedDeps(deps), cmd, intent.url, intent.name);
    case "feed-remove":
      return feedRemoveReply(feedDeps(deps), cmd, intent.target);
    case "tag":
    case "lookup": {
      const tag = intent.kind === "tag" ? intent.tag : { kind: "any" as const, value: intent.query };
      const resolved = resolveTag(deps.names, tag, deps.malware);
      if (resolved.kind === "actor") return actorReply(deps, resolved.actor, intent.page, command);
      if (resolved.kind === "country")
        return countryReply(deps, resolved.country, resolved.role, intent.page, command);
      if (resolved.kind === "sector" || resolved.kind === "malware" || resolved.kind === "cve")
        return tagReply(deps, resolved, intent.page, command);
      if (resolved.kind === "keyword") return searchReply(deps, [resolved.phrase], intent.page, command);
      if (resolved.kind === "invalid") return usageReply(resolved.problem);
      if (intent.kind === "lookup") return searchReply(deps, splitWords(intent.query), intent.page, command);
      const typed = resolved.kind === "unknown" ? resolved.typed : "";
      const wanted = resolved.kind === "unknown" ? resolved.wanted : "actor or country";
      return reply("empty", `No ${wanted} called "${typed}"`, {
        text: [
          resolved.kind === "unknown" ? didYouMean(resolved.suggestions) : "",
          `Try a full-text search instead: /cyber search ${typed}`,
        ].filter(Boolean),
      });
    }
  }
}

/**
 * Autocomplete: command words, then actors and countries whose names start with (or resemble) the typed text.
 * A tag form keeps to its kind: `actor:` offers actors, `country:`/`sponsor:`/`target:` countries (a typed
 * country code first), `malware:` malware families.
 */
export function suggest(
  names: NameResolver,
  partial: string,
  limit: number,
  malware?: MalwareNames,
): Suggestion[] {
  const text = stripFormat(partial)
    .replace(/\p{Cc}/gu, "")
    .trimStart()
    .slice(0, 100);
  const words = text.split(/\s+/);
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const add = (s: Suggestion) => {
    if (out.length < limit && !seen.has(s.value)) {
      seen.add(s.value);
      out.push({ label: s.label.slice(0, 100), value: s.value.slice(0, 100) });
    }
  };
  const verb = words.length > 1 ? (words[0] ?? "").toLowerCase() : "";
  const prefix = verb ? `${words[0]} ` : "";
  const typed = verb ? words.slice(1).join(" ") : text;
  if (!verb)
    for (const w of COMMAND_WORDS) if (w.startsWith(typed.toLowerCase())) add({ label: w, value: w });
  const bare = typed.replace(/^(actor|country|sponsor|target|malware):/i, "");
  const tagPrefix = typed.slice(0, typed.length - bare.length);
  const form = tagPrefix.slice(0, -1).toLowerCase();
  if (bare.length === 0) return out;
  if (form === "malware") {
    for (const m of malware?.prefixSearch(bare, limit) ?? []) {
      add({ label: `${prefix}malware:${m.name}`, value: `${prefix}malware:${m.name}`.toLowerCase() });
    }
    return out;
  }
  const want = form === "actor" ? "actor" : form ? "country" : undefined;
  const code = want === "country" && /^[a-z]{2}$/i.test(bare) ? names.country(bare.toUpperCase()) : undefined;
  if (code)
    add({ label: `${prefix}${tagPrefix}${code.name}`, value: `${prefix}${tagPrefix}${bare}`.toLowerCase() });
  for (const s of [...names.prefixSearch(bare, limit * 2), ...names.suggest(bare, 5)]) {
    if (want && s.kind !== want) continue;
    const label =
      s.alias && s.alias.toLowerCase() !== s.label.toLowerCase() ? `${s.alias} → ${s.label}` : s.label;
    add({
      label: `${prefix}${tagPrefix}${label}`,
      value: `${prefix}${tagPrefix}${s.alias || s.label}`.toLowerCase(),
    });
  }
  return out;
}
