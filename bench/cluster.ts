// `npm run bench:cluster`: precision and recall of sameEvent on the labelled pairs, and signature/LSH speed.

import { loadGazetteer } from "../src/analysis/index.js";
import {
  type Signature,
  signature,
  sketchKeys,
  tokenSignatures,
  topicSignature,
} from "../src/analysis/shingles.js";
import { createTokens, tokenize } from "../src/analysis/tokenizer.js";
import { MIN_SHARED } from "../src/store/sqlite/events.js";
import { judge, loadFacts, loadPairs } from "./cluster-set.js";
import { generate } from "./tag.js";

const ARTICLES = 10_000;
const g = loadGazetteer();
const { score } = judge(loadFacts(g), loadPairs());
const out = (s: string) => process.stdout.write(`${s}\n`);
out(`labelled pairs: ${score.tp + score.fp + score.tn + score.fn}`);
out(
  `confusion: ${score.tp} same/merged, ${score.fn} same/kept apart, ${score.fp} different/merged, ${score.tn} different/kept apart`,
);
out(
  `precision ${score.precision.toFixed(3)} (target ≥ 0.95), recall ${score.recall.toFixed(3)} (target ≥ 0.90)`,
);
for (const w of score.wrong) {
  out(
    `  misjudged: ${w.a} ~ ${w.b} (labelled ${w.same ? "same" : "different"}: ${w.why}): ${w.result.reasons.join("; ")}`,
  );
}

// Speed: signatures of 10,000 generated articles, then each one's candidates through an index of sketch keys.
// Past the generated corpus, the articles come again as republished copies with a line of boilerplate: the
// index must find each copy's original, and little else.
const originals = generate(g).map((a) => `${a.title}\n\n${a.body}`);
const texts = Array.from({ length: ARTICLES }, (_, i) =>
  i < originals.length
    ? (originals[i] as string)
    : `Republished with permission.\n\n${originals[i - originals.length]}\n\nSubscribe for more.`,
);
const copies = ARTICLES - originals.length;
const t0 = process.hrtime.bigint();
const sigs: Signature[] = texts.map((t) => signature(t));
const t1 = process.hrtime.bigint();
for (const t of texts) topicSignature(t);
const t2 = process.hrtime.bigint();
// What ingest pays: the analyser hands over the tokens it made for tagging; only the signatures are new work.
const tokens = texts.map((t) => tokenize(t, createTokens(1024)));
const tTokens = process.hrtime.bigint();
for (const t of tokens) tokenSignatures([t]);
const tBoth = process.hrtime.bigint();
const index = new Map<number, number[]>();
let candidates = 0;
sigs.forEach((sig, i) => {
  // As the store does: a story is judged a possible copy when it shares MIN_SHARED of the sketch keys.
  const shared = new Map<number, number>();
  for (const key of sketchKeys(sig)) {
    const bucket = index.get(key);
    if (!bucket) {
      index.set(key, [i]);
      continue;
    }
    for (const j of bucket) shared.set(j, (shared.get(j) ?? 0) + 1);
    bucket.push(i);
  }
  for (const n of shared.values()) if (n >= MIN_SHARED) candidates++;
});
const t3 = process.hrtime.bigint();
const us = (from: bigint, to: bigint) => Math.round(Number(to - from) / 1000 / texts.length);
const avgKB = texts.reduce((n, t) => n + t.length, 0) / texts.length / 1024;
const result = {
  pairs: score.tp + score.fp + score.tn + score.fn,
  tp: score.tp,
  fp: score.fp,
  tn: score.tn,
  fn: score.fn,
  precision: Number(score.precision.toFixed(3)),
  recall: Number(score.recall.toFixed(3)),
  articles: texts.length,
  avgKB: Number(avgKB.toFixed(1)),
  signatureUs: us(t0, t1),
  topicUs: us(t1, t2),
  bothUs: us(tTokens, tBoth),
  lshUs: us(tBoth, t3),
  copies,
  candidatesPerArticle: Number((candidates / texts.length).toFixed(3)),
};
out(
  `${texts.length} generated articles (${result.avgKB} KB each): shingle signature ${result.signatureUs} µs, topic signature ${result.topicUs} µs, both from the analyser's tokens ${result.bothUs} µs (what ingest pays), sketch-key lookup + insert ${result.lshUs} µs per article; ${candidates} candidates found for ${copies} copies`,
);
out(`BENCH ${JSON.stringify(result)}`);
