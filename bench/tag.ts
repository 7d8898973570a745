// `npm run bench:tag`: load time, tagging and tagging+summary throughput on a generated 20 MB corpus.

import { createAnalyser, createTagger, loadGazetteer } from "../src/analysis/index.js";
import { tokenSignatures } from "../src/analysis/shingles.js";
import { createTokens, tokenize } from "../src/analysis/tokenizer.js";
import type { Article, Block } from "../src/core/article.js";
import { rng } from "./corpus.js";
import { articleOf, loadCorpus, SUMMARY_DIR, scoreCorpus, summaryCoverage } from "./labelled.js";

// One core; prints a table and one `BENCH {...}` JSON line for report scripts.
const TARGET_BYTES = 20 * 1024 * 1024;
const ACTOR_RATE = 0.006;
const COUNTRY_RATE = 0.01;

const FILLER = `the a of to and in that for on with as by at from said officials report network attack systems
  security researchers government company data access servers email users campaign group analysts software update
  agency week year months investigators evidence infrastructure targets operations response statement minister
  according new several including also after before during while however because which their its this those were
  was has have had been would could may more than most other some many into over under about between against
  critical sector energy water telecom defence finance health election parliament ministry embassy contractor
  vendor patch vulnerability router firewall cloud account password phishing malware backdoor espionage breach
  intrusion attribution sanctions indictment spokesperson director chief press conference blog advisory warning
  customers services outage ransom payment leak documents files stolen copied encrypted deleted restored monitored
  quickly slowly publicly privately recently earlier later again still already never often rarely widely closely`
  .split(/\s+/)
  .filter(Boolean);

export function generate(g: ReturnType<typeof loadGazetteer>): Article[] {
  const rand = rng(20240325);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const actorNames = g.actors().flatMap((a) => a.aliases.slice(0, 4));
  const countryNames = g.countries().flatMap((c) => [c.name, ...c.demonyms]);
  const extras = [
    "U.S.",
    "U.K.",
    "Beijing said",
    "the Kremlin",
    "CISA",
    "the FBI",
    "Mr. Smith",
    "3.5 per cent",
  ];
  const sentence = (): string => {
    const words: string[] = [];
    const n = 10 + Math.floor(rand() * 16);
    for (let i = 0; i < n; i++) {
      const r = rand();
      // About one word in 60 is an actor or country name: a dense but plausible security news story.
      if (r < ACTOR_RATE) words.push(pick(actorNames));
      else if (r < ACTOR_RATE + COUNTRY_RATE) words.push(pick(countryNames));
      else if (r < ACTOR_RATE + COUNTRY_RATE + 0.003) words.push(pick(extras));
      else words.push(pick(FILLER));
    }
    const s = words.join(" ");
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
  };
  const articles: Article[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const blocks: Block[] = [];
    const paragraphs = 3 + Math.floor(rand() * 5);
    for (let p = 0; p < paragraphs; p++) {
      if (p > 0 && rand() < 0.3)
        blocks.push({ kind: "heading", text: sentence().slice(0, 40).replace(/\.$/, "") });
      const count = 3 + Math.floor(rand() * 5);
      blocks.push({ kind: "paragraph", text: Array.from({ length: count }, sentence).join(" ") });
    }
    const title = sentence().slice(0, 80);
    const body = blocks.map((b) => b.text).join("\n\n");
    bytes += Buffer.byteLength(title) + Buffer.byteLength(body);
    articles.push(articleOf(`/bench/${articles.length}.txt`, title, blocks, String(articles.length)));
  }
  return articles;
}

/**
 * Timed passes over the whole corpus until the JIT settles: at least 8, then until four in a row are no more
 * than 3% faster than the best so far (at most 20). A long-running bot lives in that steady state, and the best
 * pass is the one least disturbed by other processes (this machine's speed drifts by 15% or more within a
 * minute); the first pass is reported too.
 */
function passes(run: () => void): { first: number; best: number } {
  const first = time(run);
  let best = first;
  let calm = 0;
  for (let i = 1; i < 20 && (i < 8 || calm < 4); i++) {
    const ms = time(run);
    calm = ms < best * 0.97 ? 0 : calm + 1;
    best = Math.min(best, ms);
  }
  return { first, best };
}

function round3(x: number): number {
  return Number(x.toFixed(3));
}

function time(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A bare charCodeAt loop over the same text: how fast this machine is right now, for comparing runs. */
function referenceMBps(articles: Article[], mb: number): number {
  let x = 0;
  const ms = Math.min(
    ...[0, 1, 2].map(() =>
      time(() => {
        for (const a of articles) {
          const s = a.body;
          for (let i = 0; i < s.length; i++) x = (x + s.charCodeAt(i)) | 0;
        }
      }),
    ),
  );
  if (x === 42) console.log("");
  return mb / (ms / 1000);
}

function main(): void {
  let gazetteer: ReturnType<typeof loadGazetteer> | undefined;
  const loadMs = time(() => {
    gazetteer = loadGazetteer();
  });
  if (!gazetteer) throw new Error("gazetteer did not load");
  const warmLoadMs = Math.min(...[0, 1, 2].map(() => time(() => loadGazetteer())));
  const articles = generate(gazetteer);
  const bytes = articles.reduce((n, a) => n + Buffer.byteLength(a.title) + Buffer.byteLength(a.body), 0);
  const mb = bytes / 1e6;
  const tag = createTagger(gazetteer);
  const analyse = createAnalyser(gazetteer);
  const scratch = createTokens(4096);
  let sink = 0;
  const tokenizePass = passes(() => {
    for (const a of articles) sink += tokenize(a.body, scratch).n;
  });
  const titleScratch = createTokens(64);
  const signaturesPass = passes(() => {
    for (const a of articles)
      sink += tokenSignatures([tokenize(a.title, titleScratch), tokenize(a.body, scratch)]).keys.length;
  });
  const tagPass = passes(() => {
    for (const a of articles) sink += tag(a).actors.length;
  });
  const tagOnly = process.argv.includes("--tag-only");
  const analysePass = tagOnly
    ? { first: 0, best: 0 }
    : passes(() => {
        for (const a of articles) sink += analyse(a).summary.length;
      });
  // Issue 15's figure: tagging and summary, without the story-merging signatures the full analysis adds.
  const tagSummary = createAnalyser(gazetteer, { signatures: false });
  const tagSummaryPass = tagOnly
    ? { first: 0, best: 0 }
    : passes(() => {
        for (const a of articles) sink += tagSummary(a).summary.length;
      });
  const mbps = (ms: number) => (ms > 0 ? Number((mb / (ms / 1000)).toFixed(1)) : 0);
  const result = {
    corpusMB: Number(mb.toFixed(1)),
    articles: articles.length,
    referenceMBps: Number(referenceMBps(articles, mb).toFixed(0)),
    loadMs: Number(loadMs.toFixed(1)),
    warmLoadMs: Number(warmLoadMs.toFixed(1)),
    tokenizeMBps: mbps(tokenizePass.best),
    signaturesMBps: mbps(signaturesPass.best),
    tagMBps: mbps(tagPass.best),
    tagSummaryMBps: mbps(tagSummaryPass.best),
    analyseMBps: mbps(analysePass.best),
    firstPass: {
      tagMBps: mbps(tagPass.first),
      tagSummaryMBps: mbps(tagSummaryPass.first),
      analyseMBps: mbps(analysePass.first),
    },
    targets: { tagMBps: 50, tagSummaryMBps: 40, loadMs: 200 },
  };
  console.log(`corpus        ${result.corpusMB} MB (10^6 bytes) in ${result.articles} generated articles`);
  console.log(`load          ${result.loadMs} ms cold, ${result.warmLoadMs} ms warm (target < 200 ms)`);
  console.log(`tokenizer     ${result.tokenizeMBps} MB/s (part of tagging)`);
  console.log(
    `signatures    ${result.signaturesMBps} MB/s with their tokenizing (part of the full analysis)`,
  );
  console.log(
    `tagging       ${result.tagMBps} MB/s steady, ${result.firstPass.tagMBps} MB/s first pass (target >= 50)`,
  );
  console.log(
    `tag + summary ${result.tagSummaryMBps} MB/s steady, ${result.firstPass.tagSummaryMBps} MB/s first pass (target >= 40)`,
  );
  console.log(
    `full analysis ${result.analyseMBps} MB/s steady, ${result.firstPass.analyseMBps} MB/s first pass (tag + summary + the MinHash signatures of story merging: what the worker runs)`,
  );
  console.log(`reference     ${result.referenceMBps} MB/s for a bare charCodeAt loop over the same text`);
  const corpus = loadCorpus();
  const scores = scoreCorpus(analyse, corpus);
  console.log(`labelled corpus, ${corpus.length} hand-labelled articles:`);
  for (const [kind, score] of Object.entries(scores)) console.log(`  ${score.line(kind)}`);
  const quality = Object.fromEntries(
    Object.entries(scores).map(([kind, s]) => [
      kind,
      { precision: round3(s.precision), recall: round3(s.recall) },
    ]),
  );
  const cover = summaryCoverage(analyse, [...corpus, ...loadCorpus(SUMMARY_DIR)]);
  const summary = {
    actorStories: cover.actorStories,
    actorCovered: cover.actorCovered,
    coverage: round3(cover.actorCovered / Math.max(1, cover.actorStories)),
    entities: cover.entities,
    entitiesNamed: cover.entitiesNamed,
    full: round3(cover.entitiesNamed / Math.max(1, cover.entities)),
  };
  console.log(
    `summaries (corpus + ${SUMMARY_DIR.split("/").slice(-2).join("/")}):\n  summary coverage ${summary.actorCovered} of ${summary.actorStories} actor stories (${summary.coverage}, target >= 0.95); names ${summary.entitiesNamed} of ${summary.entities} actors, blamed countries and targets (${summary.full})`,
  );
  for (const miss of cover.misses) console.log(`    ${miss}`);
  if (sink < 0) console.log(sink);
  console.log(
    `BENCH ${JSON.stringify({ ...result, corpus: { articles: corpus.length, ...quality, summary } })}`,
  );
}

// Run when executed, not when imported (profiling scripts import `generate`).
if (process.argv[1]?.endsWith("tag.js")) main();
