// `/cyber trend <tag> [Nw]`: stories per week about one tag, as a bar chart with its counts in words.

import {
  bucketByWeek,
  chartFontFile,
  sparkline,
  type Trend,
  totalOf,
  trendPng,
  weekEnd,
  weekStarts,
} from "../charts/index.js";
import type { Reply } from "../core/cards.js";
import { type Clock, systemClock } from "../core/clock.js";
import { packagePath } from "../core/paths.js";
import type { InsightStore, TrendTag } from "../store/insights.js";
import type { MalwareNames } from "./malware-names.js";
import type { TagArg } from "./parse-words.js";
import { plural, reply, usageReply } from "./replies.js";
import { didYouMean, type NameResolver, resolveTag } from "./resolve.js";

export interface TrendDeps {
  insights?: InsightStore;
  names: NameResolver;
  malware?: MalwareNames;
  clock?: Clock;
  /** The chart's font file; the package's data/fonts by default. */
  chartFont?: string;
}

/** What a trend counts, how its chart is titled, and the tag as typed in a command. */
interface Subject {
  tag: TrendTag;
  subject: string;
  key: string;
}

/** What a trend counts and how its chart is titled, or the reply that says why it cannot be drawn. */
export function trendSubject(
  deps: Pick<TrendDeps, "names" | "malware">,
  tag: TagArg,
): Subject | { reply: Reply } {
  const r = resolveTag(deps.names, tag, deps.malware);
  switch (r.kind) {
    case "actor":
      return { tag: { kind: "actor", id: r.actor.id }, subject: r.actor.name, key: `actor:${r.actor.id}` };
    case "country": {
      const role = r.role === "any" ? undefined : r.role;
      const subject = `${r.country.name}${role === "sponsor" ? " (blamed)" : role === "target" ? " (target)" : ""}`;
      const code = r.country.code.toLowerCase();
      return {
        tag: { kind: "country", code: r.country.code, role },
        subject,
        key: `${role ?? "country"}:${code}`,
      };
    }
    case "sector":
      return { tag: { kind: "sector", id: r.id }, subject: `Sector ${r.id}`, key: `sector:${r.id}` };
    case "malware":
      return {
        tag: { kind: "malware", id: r.malware.id },
        subject: r.malware.name,
        key: `malware:${r.malware.id}`,
      };
    case "cve":
      return { tag: { kind: "cve", id: r.id }, subject: r.id, key: `cve:${r.id}` };
    case "keyword":
      return {
        tag: { kind: "keyword", phrase: r.phrase },
        subject: `"${r.phrase}"`,
        key: `keyword:"${r.phrase}"`,
      };
    case "invalid":
      return { reply: usageReply(r.problem, "trend") };
    case "all":
      return { reply: usageReply("A trend is of one tag, e.g. /cyber trend apt40", "trend") };
    case "unknown":
      return {
        reply: reply("empty", `No ${r.wanted} called "${r.typed}"`, {
          text: [
            didYouMean(r.suggestions),
            `For words in the text, chart a keyword: /cyber trend keyword:"${r.typed.slice(0, 60)}"`,
          ].filter(Boolean),
        }),
      };
  }
}

/** The weekly counts of a tag: `weeks` weeks ending with the current one (by the clock, in UTC). */
export async function trendOf(
  insights: InsightStore,
  tag: TrendTag,
  subject: string,
  weeks: number,
  today: string,
): Promise<Trend> {
  const starts = weekStarts(today, weeks);
  const days = await insights.countsByDay(
    tag,
    starts[0] ?? today,
    weekEnd(starts[starts.length - 1] ?? today),
  );
  return { subject, weeks: starts, counts: bucketByWeek(days, starts) };
}

export async function trendReply(deps: TrendDeps, tag: TagArg, weeks: number): Promise<Reply> {
  const found = trendSubject(deps, tag);
  if ("reply" in found) return found.reply;
  if (!deps.insights)
    return reply("error", "Trend charts are not available here", {
      text: ["This bot was started without the chart queries; ask your admin."],
    });
  const today = new Date((deps.clock ?? systemClock).now()).toISOString().slice(0, 10);
  const trend = await trendOf(deps.insights, found.tag, found.subject, weeks, today);
  const image = trendPng(trend, deps.chartFont ?? chartFontFile(packagePath("data")));
  const total = totalOf(trend);
  const max = Math.max(...trend.counts);
  const busiest = trend.weeks[trend.counts.indexOf(max)] ?? "";
  const now = trend.counts[trend.counts.length - 1] ?? 0;
  const none = total === 0 ? await noneLine(deps.insights, found, trend.weeks) : "";
  return reply("answer", `${found.subject}: ${plural(total, "story")} in ${weeks} weeks`, {
    text: [total === 0 ? none : sparkline(trend.counts)],
    fields: [
      { label: "Busiest week", value: max > 0 ? `${max} (week of ${busiest})` : "none", inline: true },
      { label: "This week so far", value: String(now), inline: true },
      { label: "Weekly average", value: (total / weeks).toFixed(1), inline: true },
    ],
    footer: `Subscribe: /cyber subscribe ${found.key} · A year: /cyber trend ${found.key} 52w`,
    image: { ...image, weeks: trend.weeks, counts: trend.counts },
  });
}

/** An empty trend says so, and when the tag has older stories, the date of the latest (the seed is from 2024). */
async function noneLine(insights: InsightStore, found: Subject, weeks: readonly string[]): Promise<string> {
  const first = weeks[0] ?? "";
  const before = first ? await insights.countsByDay(found.tag, "0000-01-01", dayBefore(first)) : [];
  const latest = before[before.length - 1]?.date;
  if (!latest) return `No stories about ${found.subject} in these weeks.`;
  // The longest trend, 104 weeks, ends with this week too: does it reach back to the latest story?
  const thisWeek = Date.parse(`${weeks[weeks.length - 1] ?? first}T00:00:00Z`);
  const reach = weeks.length < 104 && thisWeek - Date.parse(`${latest}T00:00:00Z`) < 103 * WEEK_MS;
  return `No stories about ${found.subject} in these weeks; the latest is from ${latest}.${
    reach ? ` Two years: /cyber trend ${found.key} 104w` : ""
  }`;
}

const WEEK_MS = 7 * 86_400_000;

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
