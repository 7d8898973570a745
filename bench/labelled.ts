// The hand-labelled corpus (tests/fixtures/corpus): its articles, its labels, and precision/recall per tag kind.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Analyse, Analysis, Article, Block } from "../src/core/article.js";

const ROOT = join(import.meta.dirname, import.meta.dirname.endsWith(join("dist", "bench")) ? "../.." : "..");
export const CORPUS_DIR = join(ROOT, "tests", "fixtures", "corpus");
/** News-style articles whose actor, blamed state or victims come late, after datelines and central generic text. */
export const SUMMARY_DIR = join(ROOT, "tests", "fixtures", "summaries");

/** What a reader says an article names. Files: labels.yaml (actors, countries, roles), labels-tags.yaml (the rest). */
export interface Label {
  actors: string[];
  countries: string[];
  sponsors: string[];
  targets: string[];
  sectors?: string[];
  malware?: string[];
  cves?: string[];
}

export interface LabelledArticle {
  name: string;
  article: Article;
  label: Label;
}

/** "# Title", then paragraphs separated by blank lines; "## " lines are headings. */
export function articleFromMarkdown(text: string, path = "/corpus/article.md"): Article {
  const parts = text
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  let title = "";
  const blocks: Block[] = [];
  for (const part of parts) {
    if (!title && part.startsWith("# ")) title = part.slice(2).trim();
    else if (part.startsWith("## ")) blocks.push({ kind: "heading", text: part.slice(3).trim() });
    else blocks.push({ kind: "paragraph", text: part.replace(/\s+/g, " ") });
  }
  const hash = createHash("sha256").update(`${title}\n${blocks.map((b) => b.text).join("\n\n")}`);
  return articleOf(path, title, blocks, hash.digest("hex"));
}

/** An article of these blocks (its body is their text), dated 2024-01-01, without url or source. */
export function articleOf(path: string, title: string, blocks: Block[], contentHash = "x"): Article {
  return {
    path,
    title,
    date: "2024-01-01",
    dateEstimated: false,
    url: null,
    source: null,
    blocks,
    body: blocks.map((b) => b.text).join("\n\n"),
    contentHash,
  };
}

/** Every article of the corpus with its labels; throws when an article has no label or a label no article. */
export function loadCorpus(dir = CORPUS_DIR): LabelledArticle[] {
  const labels = parse(readFileSync(join(dir, "labels.yaml"), "utf8")) as Record<string, Label>;
  let extra: Record<string, Partial<Label>> = {};
  try {
    extra = (parse(readFileSync(join(dir, "labels-tags.yaml"), "utf8")) ?? {}) as Record<
      string,
      Partial<Label>
    >;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort();
  const names = new Set(files.map((f) => f.replace(/\.md$/, "")));
  for (const name of [...Object.keys(labels), ...Object.keys(extra)]) {
    if (!names.has(name)) throw new Error(`label ${name} has no article ${name}.md`);
  }
  return files.map((file) => {
    const name = file.replace(/\.md$/, "");
    const label = labels[name];
    if (!label) throw new Error(`no label for ${file}`);
    const path = join(dir, file);
    return {
      name,
      article: articleFromMarkdown(readFileSync(path, "utf8"), path),
      label: { ...label, ...extra[name] },
    };
  });
}

/** Micro precision and recall of one tag kind, with the errors that cost them. */
export class Score {
  tp = 0;
  fp = 0;
  fn = 0;
  readonly errors: string[] = [];
  add(article: string, expected: readonly string[], actual: readonly string[]): void {
    const want = new Set(expected);
    const got = new Set(actual);
    for (const x of got) {
      if (want.has(x)) this.tp++;
      else {
        this.fp++;
        this.errors.push(`${article}: unexpected ${x}`);
      }
    }
    for (const x of want) {
      if (!got.has(x)) {
        this.fn++;
        this.errors.push(`${article}: missed ${x}`);
      }
    }
  }
  get precision(): number {
    return this.tp + this.fp === 0 ? 1 : this.tp / (this.tp + this.fp);
  }
  get recall(): number {
    return this.tp + this.fn === 0 ? 1 : this.tp / (this.tp + this.fn);
  }
  line(name: string): string {
    return `${name.padEnd(9)} precision ${this.precision.toFixed(3)} recall ${this.recall.toFixed(3)} (tp ${this.tp}, fp ${this.fp}, fn ${this.fn})`;
  }
}

/** How one tag kind is read from a label and from an analysis. Kinds a label leaves out are not scored for it. */
const KINDS: Record<string, { label: (l: Label) => string[] | undefined; got: (a: Analysis) => string[] }> = {
  actors: { label: (l) => l.actors, got: (a) => a.actors.map((x) => x.id) },
  countries: { label: (l) => l.countries, got: (a) => a.countries.map((c) => c.code) },
  sponsors: {
    label: (l) => l.sponsors,
    got: (a) => a.countries.filter((c) => c.roles.includes("sponsor")).map((c) => c.code),
  },
  targets: {
    label: (l) => l.targets,
    got: (a) => a.countries.filter((c) => c.roles.includes("target")).map((c) => c.code),
  },
  sectors: { label: (l) => l.sectors, got: (a) => (a.sectors ?? []).map((s) => s.id) },
  malware: { label: (l) => l.malware, got: (a) => (a.malware ?? []).map((m) => m.id) },
  cves: { label: (l) => l.cves, got: (a) => a.cves },
};

export type ScoreKind = keyof typeof KINDS;

/** Runs the analyser over the corpus and scores every tag kind. */
export function scoreCorpus(analyse: Analyse, corpus: LabelledArticle[]): Record<ScoreKind, Score> {
  const scores: Record<ScoreKind, Score> = {};
  for (const kind of Object.keys(KINDS)) scores[kind] = new Score();
  for (const { name, article, label } of corpus) {
    const analysis = analyse(article);
    for (const [kind, read] of Object.entries(KINDS)) {
      const expected = read.label(label);
      if (expected) scores[kind]?.add(name, expected, read.got(analysis));
    }
  }
  return scores;
}

/** How well summaries name who did what to whom on the labelled corpus (see `summaryCoverage`). */
export interface SummaryCoverage {
  /** Articles with at least one labelled actor, and those whose summary names one of them. */
  actorStories: number;
  actorCovered: number;
  /** Labelled (article, actor | sponsor | target) pairs, and those the summary names. */
  entities: number;
  entitiesNamed: number;
  /** "article: summary lacks X (summary)" for every entity not named, actor stories first. */
  misses: string[];
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** `words` as whole words (not inside a longer word) anywhere in `text`. */
const names = (text: string, words: readonly string[]): boolean =>
  words.some(
    (w) => w && new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(w)}(?![\\p{L}\\p{N}])`, "u").test(text),
  );

/**
 * Summary coverage over labelled articles (bench:tag and the test use the corpus plus SUMMARY_DIR). An *actor story* is an article whose label names at least one
 * actor; it is covered when its summary contains, as a whole word, the name of one of its labelled actors as the
 * text wrote it: any word the analysis matched for that actor (its evidence, e.g. "ATP 40", "Kryptonite Panda"),
 * or the actor's id. The full figure counts every labelled actor, sponsor and target of every article (a country
 * labelled both is counted once, as sponsor): named when the summary contains, as a whole word, the actor's words
 * as above, or for a country its name or any word the analysis matched for it ("Chinese", "Beijing", "UK").
 */
export function summaryCoverage(analyse: Analyse, corpus: LabelledArticle[]): SummaryCoverage {
  const out: SummaryCoverage = {
    actorStories: 0,
    actorCovered: 0,
    entities: 0,
    entitiesNamed: 0,
    misses: [],
  };
  const later: string[] = [];
  for (const { name, article, label } of corpus) {
    const analysis = analyse(article);
    const summary = analysis.summary;
    const actorWords = (id: string) => [
      id,
      ...(analysis.actors.find((a) => a.id === id)?.matched.map((e) => e.text) ?? []),
    ];
    const countryWords = (code: string) => {
      const tag = analysis.countries.find((c) => c.code === code);
      return tag ? [tag.name, ...tag.matched.map((e) => e.text)] : [code];
    };
    const wanted = [
      ...label.actors.map((id) => ({ what: `actor ${id}`, words: actorWords(id) })),
      ...label.sponsors.map((code) => ({ what: `sponsor ${code}`, words: countryWords(code) })),
      ...label.targets
        .filter((code) => !label.sponsors.includes(code))
        .map((code) => ({ what: `target ${code}`, words: countryWords(code) })),
    ];
    if (label.actors.length > 0) {
      out.actorStories++;
      if (label.actors.some((id) => names(summary, actorWords(id)))) out.actorCovered++;
    }
    for (const w of wanted) {
      out.entities++;
      if (names(summary, w.words)) out.entitiesNamed++;
      else
        (w.what.startsWith("actor") ? out.misses : later).push(
          `${name}: summary lacks ${w.what} (${summary})`,
        );
    }
  }
  out.misses.push(...later);
  return out;
}
