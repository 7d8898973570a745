// One story in full (`/cyber story`): its fields, and each tag with the words that triggered it and where.

import type { Evidence } from "../core/article.js";
import { type Reply, type ReplyField, roleWords, storyCard } from "../core/cards.js";
import { isFeedKey } from "../core/story.js";
import type { StoryRecord } from "../store/types.js";
import type { LookupDeps } from "./lookup.js";
import { reply } from "./replies.js";
import type { NameResolver } from "./resolve.js";

/** A country code as its flag and name (the code itself when unknown). */
export function countryName(names: NameResolver, code: string | null): string | null {
  if (!code) return null;
  const c = names.country(code);
  return c ? `${c.flag} ${c.name}`.trim() : code;
}

export async function storyReply(deps: LookupDeps, id: string): Promise<Reply> {
  const story = await deps.store.getStory(id);
  if (!story) {
    return reply("empty", `No story with id ${id}`, {
      text: ["Story ids are the short codes shown in lists, e.g. /cyber latest."],
    });
  }
  return reply("answer", story.title, {
    stories: [storyCard(story)],
    fields: storyFields(deps.names, story),
  });
}

function storyFields(names: NameResolver, s: StoryRecord) {
  const fields = [
    {
      label: "Date",
      value: `${s.date}${s.dateEstimated ? " (estimated from the file's time)" : ""}`,
      inline: true,
    },
    { label: "Id", value: `${s.id} (revision ${s.revision})`, inline: true },
    ...tagFields(names, s),
  ];
  // A feed story (its path is the item's link, not a file) names its feed and links the item.
  const fromFeed = isFeedKey(s.path) && s.source !== null;
  fields.push({
    label: "Source",
    value: fromFeed ? `${s.source}: ${s.url ?? s.path}` : (s.url ?? s.path),
    inline: false,
  });
  return fields;
}

/** The words quoted once each: "APT40", "Kryptonite Panda". */
export const quoteWords = (xs: readonly string[]) => [...new Set(xs.map((w) => `"${w}"`))].join(", ");

/** One field per tag with the words that triggered it (and each country's role): `story` and `why` show them. */
export function tagFields(names: NameResolver, s: StoryRecord): ReplyField[] {
  const quote = (xs: { text: string }[]) => quoteWords(xs.map((m) => m.text));
  const fields: ReplyField[] = [];
  for (const a of s.actors) {
    const sponsor = a.sponsor ? `; suspected sponsor ${countryName(names, a.sponsor)}` : "";
    fields.push({ label: `Actor ${a.name}`, value: `matched ${quote(a.matched)}${sponsor}`, inline: false });
  }
  for (const c of s.countries) {
    const roles = roleWords(c.roles).join(" and ");
    const flag = names.country(c.code)?.flag ?? "";
    fields.push({
      label: `${flag} ${c.name}`.trim(),
      value: `${roles}; matched ${quote(c.matched)}`,
      inline: false,
    });
  }
  for (const t of s.sectors ?? [])
    fields.push({ label: `Sector ${t.id}`, value: `matched ${evidenceLine(t.matched)}`, inline: false });
  for (const t of s.malware ?? [])
    fields.push({ label: `Malware ${t.name}`, value: `matched ${evidenceLine(t.matched)}`, inline: false });
  for (const id of s.cves ?? [])
    fields.push({ label: id, value: `named ${evidenceLine(s.cveMatched?.[id] ?? [])}`, inline: false });
  const none = [s.actors, s.countries, s.sectors ?? [], s.malware ?? [], s.cves ?? []].every(
    (l) => l.length === 0,
  );
  if (none) fields.push({ label: "Tags", value: "none found", inline: false });
  return fields;
}

/** The words of a tag's evidence with where each was found: '"hospitals" at 120 and 455, "clinic" in the title'. */
export function evidenceLine(matched: readonly Evidence[]): string {
  if (matched.length === 0) return "(where was not kept)";
  const at = new Map<string, number[]>();
  for (const m of matched) at.set(m.text, [...(at.get(m.text) ?? []), m.offset]);
  return [...at]
    .slice(0, 8)
    .map(([text, offsets]) => {
      const where = offsets.map((o) => (o < 0 ? "in the title" : `at ${o}`));
      return `"${text}" ${[...new Set(where)].slice(0, 5).join(", ")}`;
    })
    .join("; ");
}
