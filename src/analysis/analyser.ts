// The analysis stage: one tokenisation and one trie walk per text, then tags, roles and a summary.

import type { Analyse, Analysis, Article, Evidence } from "../core/article.js";
import { hasFormat, stripFormat } from "../core/text.js";
import { tagActors } from "./actor-tagger.js";
import { Candidates, FirstTokens, MALWARE, NAME } from "./candidates.js";
import { notCyber, tagCountries } from "./country-tagger.js";
import { CYBER_THRESHOLD, CyberScan, CyberVocabulary } from "./cyber.js";
import type { Entry } from "./entries.js";
import type { Gazetteer } from "./gazetteer.js";
import { findMalware, malwareTags } from "./malware-tagger.js";
import { SectorScan } from "./sector-scan.js";
import { SectorVocabulary } from "./sectors.js";
import { tokenSignatures } from "./shingles.js";
import { createSummariser } from "./summarise.js";
import { buildTags, byOffset, type Tags } from "./tag-list.js";
import { createTokens, type Tokens, tokenize } from "./tokenizer.js";
import type { Match } from "./trie.js";

/** An article without format characters and its tokens. */
export interface Prepared {
  article: Article;
  body: Tokens;
  title: Tokens;
}

/**
 * Tokenises title and body; only when the tokenizer saw a possible format character is the article cleaned
 * (`withoutFormat`) and tokenised again, so clean text is never searched with a regex.
 */
function prepare(input: Article, bodyScratch: Tokens, titleScratch: Tokens): Prepared {
  const body = tokenize(input.body, bodyScratch);
  const title = tokenize(input.title, titleScratch);
  if (!body.format && !title.format) return { article: input, body, title };
  const article = withoutFormat(input);
  if (article === input) return { article, body, title };
  return { article, body: tokenize(article.body, bodyScratch), title: tokenize(article.title, titleScratch) };
}

/** Tags only (no summary): what `bench:tag` measures as "tagging". `prepared` skips the tokenising. */
export function createTagger(gazetteer: Gazetteer): (article: Article, prepared?: Prepared) => Tags {
  const index = gazetteer.index;
  const bodyScratch = createTokens(4096);
  const titleScratch = createTokens(64);
  const vocabulary = new CyberVocabulary();
  const sectorVocabulary = new SectorVocabulary();
  // One walk per text finds the tokens where any scanner may start; the scanners visit only those.
  const first = new FirstTokens();
  index.trie.markFirstTokens(first, NAME);
  index.malware.trie.markFirstTokens(first, MALWARE);
  vocabulary.markFirstTokens(first);
  sectorVocabulary.markFirstTokens(first);
  const bodyCandidates = new Candidates();
  const titleCandidates = new Candidates();
  return (input, prepared) => {
    const { body, title } = prepared ?? prepare(input, bodyScratch, titleScratch);
    const inBody = first.walk(body, bodyCandidates);
    const inTitle = first.walk(title, titleCandidates);
    // Fresh arrays: emptying a used one (length = 0) costs more than a new one.
    let matches: Match<Entry>[] = [];
    index.trie.matchCandidates(body, inBody, NAME, matches);
    const confirmed = new Set<number>();
    const actorHits = tagActors(body, matches, 0, confirmed);
    const countryHits = tagCountries(body, matches, 0, actorHits, index.actorSponsor);
    matches = [];
    index.trie.matchCandidates(title, inTitle, NAME, matches);
    const titleActors = tagActors(title, matches, -1, confirmed);
    const titleCountries = tagCountries(title, matches, -1, titleActors, index.actorSponsor);
    const malwareSeen = new Set<number>();
    const malwareHits = findMalware(index.malware, body, 0, malwareSeen, inBody);
    for (const h of findMalware(index.malware, title, -1, malwareSeen, inTitle)) malwareHits.push(h);
    for (const h of actorHits) titleActors.push(h);
    for (const h of countryHits) titleCountries.push(h);
    const scan = new CyberScan();
    vocabulary.scan(body, 0, scan, inBody);
    vocabulary.scan(title, -1, scan, inTitle);
    // An alias of ordinary words ("Sandworm" in a review of Dune) stands only in an article that is cyber anyway.
    const cyber = scan.score >= CYBER_THRESHOLD || titleActors.some((h) => !h.weak);
    // Victims and actors' sponsors only in an article about hacking (see country-tagger's notCyber).
    const tags = buildTags(
      index,
      cyber ? titleActors : [],
      cyber ? titleCountries : notCyber(titleCountries),
    );
    for (const a of tags.actors) scan.evidence.push(a.matched[0] as Evidence);
    scan.evidence.sort(byOffset);
    // Each CVE id has one evidence (body before title), so the sorted evidence gives the order.
    const cves =
      scan.cves.length === 0
        ? []
        : scan.evidence.map((e) => e.text.toUpperCase()).filter((t) => scan.cves.includes(t));
    const malware = malwareTags(index.malware, malwareHits, cyber);
    const sectors = new SectorScan();
    if (cyber) {
      sectorVocabulary.scan(body, 0, sectors, inBody);
      sectorVocabulary.scan(title, -1, sectors, inTitle);
    }
    // Fields listed, not spread: a spread copies through a slow generic path on every article.
    return {
      actors: tags.actors,
      countries: tags.countries,
      offsets: tags.offsets,
      cyber,
      cyberEvidence: scan.evidence,
      cves,
      malware,
      sectors: sectors.tags(),
    };
  };
}

/**
 * The article with format characters removed (the reader already does this; an article built another way gets
 * the same treatment), so a zero-width space cannot split a name and evidence offsets index the clean body.
 */
export function withoutFormat(article: Article): Article {
  if (!hasFormat(article.title) && !hasFormat(article.body)) return article;
  return {
    ...article,
    title: stripFormat(article.title),
    body: stripFormat(article.body),
    blocks: article.blocks.map((b) => ({ kind: b.kind, text: stripFormat(b.text) })),
  };
}

export interface AnalyserOptions {
  /**
   * Make the MinHash signatures of the story-merging step (default true). Only benchmarks turn them off, to time
   * tagging and summary apart from them.
   */
  signatures?: boolean;
}

export function createAnalyser(gazetteer: Gazetteer, options: AnalyserOptions = {}): Analyse {
  const withSignatures = options.signatures !== false;
  const tag = createTagger(gazetteer);
  const bodyScratch = createTokens(4096);
  const titleScratch = createTokens(64);
  const summarise = createSummariser();
  return (input: Article): Analysis => {
    const prepared = prepare(input, bodyScratch, titleScratch);
    const { article, body, title } = prepared;
    const tags = tag(article, prepared);
    const summary = summarise(article, body, tags);
    const analysis: Analysis = {
      summary,
      actors: tags.actors,
      countries: tags.countries,
      cyber: tags.cyber,
      cyberEvidence: tags.cyberEvidence,
      cves: tags.cves,
      malware: tags.malware,
      sectors: tags.sectors,
    };
    // The title's tokens then the body's: the same signatures as textSignatures("title\n\nbody").
    if (withSignatures) analysis.signatures = tokenSignatures([title, body]);
    return analysis;
  };
}
