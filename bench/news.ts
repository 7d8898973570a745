// A news-like stream for the ingest benchmark: mostly first reports of distinct incidents, each in its own words,
// with a share of wire copies (other boilerplate) and of other outlets' reports of a recent incident.

import { rng } from "./corpus.js";

const ACTORS = [
  ["APT40", "Chinese"],
  ["Kryptonite Panda", "Chinese"],
  ["APT31", "Chinese"],
  ["Volt Typhoon", "Chinese"],
  ["Salt Typhoon", "Chinese"],
  ["APT29", "Russian"],
  ["Midnight Blizzard", "Russian"],
  ["Sandworm Team", "Russian"],
  ["APT28", "Russian"],
  ["Turla", "Russian"],
  ["Lazarus Group", "North Korean"],
  ["Kimsuky", "North Korean"],
  ["Charming Kitten", "Iranian"],
  ["APT41", "Chinese"],
] as const;
const VICTIMS = [
  "New Zealand",
  "Australia",
  "Germany",
  "France",
  "Japan",
  "India",
  "Canada",
  "Ukraine",
  "Taiwan",
];
const TARGETS = [
  "ministry",
  "port authority",
  "hospital group",
  "university",
  "power utility",
  "telecom operator",
];
const VERBS = ["breached", "infiltrated", "compromised", "gained access to", "spied on"];
const OUTLETS = ["Wire Desk", "Cyber Ledger", "Harbour Times", "Signal Review", "Morning Post"];
const SYLLABLES = [
  "ka",
  "tor",
  "vel",
  "mi",
  "ran",
  "zo",
  "lek",
  "dus",
  "ha",
  "per",
  "qui",
  "nos",
  "bel",
  "ta",
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** A made-up word ("velmiran") of a large vocabulary, so each incident has words few others share. */
function word(r: () => number): string {
  let w = "";
  for (let n = 2 + Math.floor(r() * 3); n > 0; n--) w += pick(r, SYLLABLES);
  return w;
}
const name = (r: () => number): string => {
  const w = word(r);
  return w.charAt(0).toUpperCase() + w.slice(1);
};

/** How long the reports are (facts told) and how many incidents a day holds. */
export interface NewsShape {
  facts: number;
  perDay: number;
}
const SHAPE: NewsShape = { facts: 20, perDay: 15 };

/** The facts of incident `k`: the same whichever outlet reports it. */
function incident(k: number, shape: NewsShape) {
  const r = rng(1_000_003 + k);
  const [actor, demonym] = pick(r, ACTORS);
  const day = 1 + Math.floor(k / shape.perDay);
  const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
  const facts = Array.from({ length: shape.facts }, () => ({
    place: name(r),
    org: `${name(r)} ${pick(r, ["Systems", "Holdings", "Labs", "Council", "Networks"])}`,
    tool: `${name(r)}${pick(r, ["Loader", "Shell", "Rat", "Gate"])}`,
    n: 10 + Math.floor(r() * 9000),
    /** What the reports say about it besides the names: words of the incident's own. */
    detail: Array.from({ length: 9 }, () => word(r)).join(" "),
  }));
  return {
    actor,
    demonym,
    victim: pick(r, VICTIMS),
    target: pick(r, TARGETS),
    verb: pick(r, VERBS),
    date,
    facts,
    /** Three in ten are called espionage against parliament (what `/cyber search` looks for in bench:query). */
    espionage: r() < 0.3,
  };
}

/** One report of incident `k` in the words of variant `v` (0: the first report). */
function report(k: number, v: number, shape: NewsShape): string {
  const x = incident(k, shape);
  const r = rng(7_000_001 + k * 31 + v);
  const lead =
    v % 2 === 0
      ? `${x.victim} says ${x.demonym} state-sponsored hackers known as ${x.actor} ${x.verb} a ${x.target}.`
      : `Hackers tied to ${x.actor}, a ${x.demonym} state-backed group, ${x.verb} a ${x.target} in ${x.victim}, officials said.`;
  const said = x.espionage ? ` Officials called it an espionage campaign against parliament.` : "";
  const lines = [`date ${x.date}`, `${lead}${said}`];
  const facts = [...x.facts];
  for (let a = facts.length - 1; a > 0; a--) {
    const b = Math.floor(r() * (a + 1));
    [facts[a], facts[b]] = [facts[b] as (typeof facts)[number], facts[a] as (typeof facts)[number]];
  }
  for (const f of facts) {
    // Few stock words: two reports of different incidents share about as many words as real ones do.
    const s = pick(r, [
      `${f.org} in ${f.place} found ${f.tool}: ${f.detail}.`,
      `About ${f.n} records at ${f.org}, ${f.place}, ${f.detail}.`,
      `${f.tool} reached ${f.place} via ${f.org}, ${f.detail}.`,
      `${f.org} saw ${f.n} logins from ${f.place}; ${f.detail}.`,
    ]);
    lines.push(s);
  }
  return `${lines.join("\n\n")}\n`;
}

/** Whether article `i` is the first report of its own incident (incident `i`). */
const first = (i: number): boolean => i < 20 || rng(i + 17)() < 0.7;

/**
 * Article `i` of the stream: seven in ten are the first report of a new incident; 15% a wire copy of a recent
 * first report with another outlet's header and footer; 15% another outlet's own report of a recent incident.
 */
export function newsArticle(i: number, shape: NewsShape = SHAPE): string {
  if (first(i)) return report(i, 0, shape);
  const r = rng(i + 17);
  const roll = r();
  let recent = Math.max(0, i - 1 - Math.floor(r() * 20));
  while (!first(recent)) recent--;
  if (roll < 0.85) {
    const outlet = pick(r, OUTLETS);
    const body = report(recent, 0, shape).replace(/^date \S+\n\n/, "");
    return `date ${incident(recent, shape).date}\n\nRepublished by ${outlet}.\n\n${body}\nCopyright ${outlet}; all rights reserved.\n`;
  }
  return report(recent, 1 + Math.floor(r() * 3), shape);
}

/** The first report of incident `i`, whatever the stream holds at `i`: an article certain to be new. */
export const freshArticle = (i: number): string => report(i, 0, SHAPE);
