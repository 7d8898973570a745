// Answers to questions: actor cards, country lists, search, latest and one story in full.

import type { ActorInfo, CountryInfo } from "../analysis/types.js";
import { type Reply, roleWords, storyCard } from "../core/cards.js";
import type { StoryStore } from "../store/types.js";
import type { MalwareName } from "./malware-names.js";
import { MAX_PER_REPLY } from "./parse.js";
import { listReply, pageFooter, plural, reply } from "./replies.js";
import { type CountryFilter, didYouMean, type NameResolver } from "./resolve.js";
import { countryName, quoteWords } from "./story-reply.js";

export interface LookupDeps {
  store: StoryStore;
  names: NameResolver;
}

const offsetOf = (page: number) => (page - 1) * MAX_PER_REPLY;

/** Store pages are fetched with an offset by asking for enough rows and slicing (tag lists are short index ranges). */
async function tagPage(deps: LookupDeps, tag: Parameters<StoryStore["byTag"]>[0], page: number) {
  const res = await deps.store.byTag(tag, offsetOf(page) + MAX_PER_REPLY);
  return { stories: res.stories.slice(offsetOf(page)), total: res.total };
}

export async function actorReply(
  deps: LookupDeps,
  actor: ActorInfo,
  page: number,
  command: string,
): Promise<Reply> {
  const { stories, total } = await tagPage(deps, { kind: "actor", id: actor.id }, page);
  const aliases = actor.aliases.filter((a) => a.toLowerCase() !== actor.name.toLowerCase()).slice(0, 10);
  const fields = [
    {
      label: "Also known as",
      value: aliases.length ? aliases.join(", ") : "no other names on record",
      inline: false,
    },
    {
      label: "Suspected sponsor",
      value: countryName(deps.names, actor.sponsor) ?? "not attributed",
      inline: true,
    },
    { label: "MITRE ATT&CK", value: actor.attackId ?? "no group id", inline: true },
    { label: "Stories", value: String(total), inline: true },
  ];
  const text =
    total === 0
      ? [
          `No stories about ${actor.name} yet. Subscribe to hear of the next one: /cyber subscribe actor:${actor.id.toLowerCase().replace(/\s+/g, "")}`,
        ]
      : [];
  return listReply(
    `${actor.name}${total ? `: ${plural(total, "story")}` : ""}`,
    stories.map((s) => storyCard(s)),
    {
      text,
      fields,
      footer: pageFooter(total, page, stories.length, MAX_PER_REPLY, command),
    },
  );
}

export async function countryReply(
  deps: LookupDeps,
  country: CountryInfo,
  filter: CountryFilter,
  page: number,
  command: string,
): Promise<Reply> {
  const tag = {
    kind: "country" as const,
    code: country.code,
    ...(filter === "any" ? {} : { role: filter }),
  };
  const { stories, total } = await tagPage(deps, tag, page);
  const cards = stories.map((s) => {
    const roles = s.countries.find((c) => c.code === country.code)?.roles ?? [];
    const role = roles.length > 0 ? roleWords(roles).join(" and ") : "mentioned";
    return storyCard(s, `${country.name}: ${role}`);
  });
  const what =
    filter === "sponsor"
      ? `stories blaming ${country.name}`
      : filter === "target"
        ? `stories in which ${country.name} is a target`
        : `stories about ${country.name}`;
  const one =
    filter === "sponsor" ? "story blaming it" : filter === "target" ? "story targeting it" : "story";
  const headline =
    `${country.flag} ${total ? `${country.name}: ${plural(total, one)}` : country.name}`.trim();
  const text =
    total === 0
      ? [
          `No ${what} yet. Try /cyber latest, or subscribe: /cyber subscribe ${filter === "any" ? "country" : filter}:${country.code.toLowerCase()}`,
        ]
      : [];
  return listReply(headline, cards, {
    text,
    footer: pageFooter(total, page, stories.length, MAX_PER_REPLY, command),
  });
}

/** A sector, a malware family or a CVE id: what `tagReply` lists. */
export type IssueTag =
  | { kind: "sector"; id: string }
  | { kind: "malware"; malware: MalwareName }
  | { kind: "cve"; id: string };

/** Stories tagged with a sector, a malware family or a CVE id, each card noting the words that matched. */
export async function tagReply(
  deps: LookupDeps,
  tag: IssueTag,
  page: number,
  command: string,
): Promise<Reply> {
  const id = tag.kind === "malware" ? tag.malware.id : tag.id;
  const label = tag.kind === "malware" ? tag.malware.name : tag.kind === "sector" ? `Sector ${id}` : id;
  const { stories, total } = await tagPage(deps, { kind: tag.kind, id }, page);
  const cards = stories.map((s) => {
    const matched =
      tag.kind === "sector"
        ? s.sectors?.find((t) => t.id === id)?.matched
        : tag.kind === "malware"
          ? s.malware?.find((t) => t.id === id)?.matched
          : undefined;
    return storyCard(
      s,
      matched && matched.length > 0 ? `matched ${quoteWords(matched.map((m) => m.text))}` : undefined,
    );
  });
  // A family id with spaces or brackets ("LockBit (Windows)") is typed in quotes.
  const malwareKey = /^[\w.-]+$/.test(id) ? id.toLowerCase() : `"${id}"`;
  const key = tag.kind === "malware" ? `malware:${malwareKey}` : `${tag.kind}:${id}`;
  return listReply(`${label}${total ? `: ${plural(total, "story")}` : ""}`, cards, {
    text:
      total === 0
        ? [`No stories tagged ${label} yet. Subscribe to hear of the next one: /cyber subscribe ${key}`]
        : [],
    footer: pageFooter(total, page, stories.length, MAX_PER_REPLY, command),
  });
}

export async function searchReply(
  deps: LookupDeps,
  terms: string[],
  page: number,
  command: string,
): Promise<Reply> {
  const res = await deps.store.search(terms, offsetOf(page) + MAX_PER_REPLY);
  const stories = res.stories.slice(offsetOf(page));
  const shown = terms.map((t) => (t.includes(" ") ? `"${t}"` : t)).join(" ");
  if (res.total === 0) {
    const hint = terms.length <= 3 ? didYouMean(deps.names.suggest(terms.join(" "), 3)) : "";
    return reply("empty", `No stories match ${shown}`, {
      text: [hint, "Every word must appear. Try fewer words, /cyber latest, or /cyber help."].filter(Boolean),
    });
  }
  return listReply(
    `Search ${shown}: ${plural(res.total, "story")}`,
    stories.map((s) => storyCard(s)),
    {
      footer: pageFooter(res.total, page, stories.length, MAX_PER_REPLY, command, res.capped),
    },
  );
}

export async function latestReply(deps: LookupDeps, count: number, page: number): Promise<Reply> {
  const res = await deps.store.latest(count, (page - 1) * count);
  if (res.total === 0) {
    return reply("empty", "No stories yet", {
      text: ["Drop article files into the seeds folder; they appear here within a minute."],
    });
  }
  const command = count === MAX_PER_REPLY ? "/cyber latest" : `/cyber latest ${count}`;
  return listReply(
    `Latest ${res.stories.length === 1 ? "story" : "stories"} (${res.total} stored)`,
    res.stories.map((s) => storyCard(s)),
    {
      footer: pageFooter(res.total, page, res.stories.length, count, command),
    },
  );
}
