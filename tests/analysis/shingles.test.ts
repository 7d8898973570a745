// MinHash signatures and LSH band keys: deterministic, close to the exact Jaccard, copies found, strangers not.

import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import {
  estimateJaccard,
  fromBytes,
  jaccard,
  jaccardReaches,
  shingles,
  signature,
  sketchKeys,
  textSignatures,
  toBytes,
  tokenSignatures,
  topicSignature,
} from "../../src/analysis/shingles.js";
import { tokenize } from "../../src/analysis/tokenizer.js";
import { articleOf, gazetteer } from "./helpers.js";

const BASE = `New Zealand's government said on Tuesday that the Chinese state-backed group APT40 gained access to the
network of the Parliamentary Counsel Office in 2021. The intrusion was detected by the National Cyber Security Centre,
which found that the attackers copied some files before they were removed from the system. The minister said the
government had raised its concerns directly with the ambassador in Wellington. Officials said no highly sensitive
information appeared to have been taken, and Beijing rejected the accusation as groundless.`;

const OTHER = `A hospital in Duesseldorf diverted emergency patients to other clinics on Friday after a ransomware
attack encrypted its servers. Staff returned to paper records while technicians restored systems from backups.
Investigators are examining a ransom note left on the network. Planned operations were postponed until Monday.`;

describe("shingles and MinHash", () => {
  it("reads a title's and a body's tokens as one text, as the analyser hands them over", () => {
    const title = "APT40 breached NZ parliament";
    const viaTokens = tokenSignatures([tokenize(title), tokenize(BASE)]);
    const viaText = textSignatures(`${title}\n\n${BASE}`);
    expect([...viaTokens.signature]).toEqual([...viaText.signature]);
    expect([...viaTokens.topic]).toEqual([...viaText.topic]);
    expect(viaTokens.keys).toEqual(viaText.keys);
  });

  it("does not mind case, punctuation or format characters", () => {
    const plain = "Volt Typhoon breached the water utility in Guam, officials said on Tuesday";
    const dressed = "VOLT TYPHOON breached the water\u00ad utility — in Guam! Officials said on Tuesday...";
    expect([...signature(dressed)]).toEqual([...signature(plain)]);
  });

  it("computes both signatures of a text in one go, equal to each on its own", () => {
    const both = textSignatures(BASE);
    expect([...both.signature]).toEqual([...signature(BASE)]);
    expect([...both.topic]).toEqual([...topicSignature(BASE)]);
  });

  it("gives equal signatures for equal text, and the same across calls", () => {
    expect([...signature(BASE)]).toEqual([...signature(`${BASE}`)]);
    expect([...signature(BASE.toUpperCase())]).toEqual([...signature(BASE)]);
    expect([...fromBytes(toBytes(signature(BASE)))]).toEqual([...signature(BASE)]);
  });

  it("tells whether the estimate reaches a threshold exactly as the estimate itself does", () => {
    const base = signature(BASE);
    for (let changed = 0; changed <= 128; changed += 7) {
      const other = base.slice();
      for (let i = 0; i < changed; i++) other[(i * 37) % 128] = i;
      for (const min of [0.11, 0.5, 0.6, 0.9, 1]) {
        expect(jaccardReaches(base, other, min)).toBe(estimateJaccard(base, other) >= min);
      }
    }
    const empty = signature("");
    expect(jaccardReaches(empty, empty, 0.6)).toBe(false);
  });

  it("reads a signature back from bytes anywhere in a larger buffer, aligned or not", () => {
    const sig = signature(BASE);
    const bytes = Buffer.from(toBytes(sig));
    for (const offset of [4, 3]) {
      const pool = Buffer.alloc(bytes.length + 16, 0xab);
      bytes.copy(pool, offset);
      expect([...fromBytes(pool.subarray(offset, offset + bytes.length))]).toEqual([...sig]);
    }
  });

  it("estimates the exact Jaccard within 0.15", () => {
    const half = BASE.split(". ").slice(0, 3).join(". ");
    for (const [a, b] of [
      [BASE, half],
      [BASE, `${BASE} ${OTHER}`],
      [BASE, OTHER],
    ] as const) {
      const exact = jaccard(shingles(a), shingles(b));
      expect(Math.abs(estimateJaccard(signature(a), signature(b)) - exact)).toBeLessThan(0.15);
    }
  });

  it("treats a copy with other boilerplate as a near-copy, and sees empty texts as sharing nothing", () => {
    const copy = `WIRE: subscribe to our briefing.\n\n${BASE}\n\nReporting by the desk. All rights reserved.`;
    expect(estimateJaccard(signature(BASE), signature(copy))).toBeGreaterThanOrEqual(0.6);
    expect(estimateJaccard(signature(""), signature(""))).toBe(0);
    expect(sketchKeys(signature("  ..  "))).toEqual([]);
  });

  it("gives near-copies several shared sketch keys and unrelated texts hardly any", () => {
    const copy = `Republished with permission.\n\n${BASE}\n\nSubscribe for more.`;
    const keys = new Set(sketchKeys(signature(BASE)));
    expect(keys.size).toBe(10);
    expect(sketchKeys(signature(copy)).filter((k) => keys.has(k)).length).toBeGreaterThanOrEqual(3);
    // 200 distinct texts of shuffled words share hardly any sketch key with BASE or with one another.
    const vocab = `${BASE} ${OTHER}`.split(/\W+/).filter(Boolean);
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    // Pairs sharing 3 or more keys (what makes a store judge a possible copy) among them and with BASE.
    const sketches: Set<number>[] = [keys];
    let collisions = 0;
    for (let t = 0; t < 200; t++) {
      const text = Array.from({ length: 80 }, () => vocab[Math.floor(rand() * vocab.length)]).join(" ");
      const mine = sketchKeys(signature(text));
      for (const other of sketches) if (mine.filter((k) => other.has(k)).length >= 3) collisions++;
      sketches.push(new Set(mine));
    }
    expect(collisions).toBeLessThan(5);
  });
});

describe("the analyser's signatures option", () => {
  it("leaves only the signatures out: every other field is the same as with them", () => {
    const article = articleOf("/s.md", "APT40 again", [{ kind: "paragraph", text: BASE }]);
    const full = createAnalyser(gazetteer())(article);
    const bare = createAnalyser(gazetteer(), { signatures: false })(article);
    expect(full.signatures?.signature.length).toBeGreaterThan(0);
    expect(bare.signatures).toBeUndefined();
    const { signatures: _dropped, ...rest } = full;
    expect(bare).toEqual(rest);
  });
});
