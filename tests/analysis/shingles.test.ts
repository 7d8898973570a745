// MinHash signatures and LSH band keys: deterministic, close to the exact Jaccard, copies found, strangers not.

import { describe, expect, it } from "vitest";
import {
  bandKeys,
  estimateJaccard,
  fnv1a,
  fromBytes,
  jaccard,
  shingles,
  signature,
  textSignatures,
  toBytes,
  topicSignature,
  wordHashes,
  words,
} from "../../src/analysis/shingles.js";

const BASE = `New Zealand's government said on Tuesday that the Chinese state-backed group APT40 gained access to the
network of the Parliamentary Counsel Office in 2021. The intrusion was detected by the National Cyber Security Centre,
which found that the attackers copied some files before they were removed from the system. The minister said the
government had raised its concerns directly with the ambassador in Wellington. Officials said no highly sensitive
information appeared to have been taken, and Beijing rejected the accusation as groundless.`;

const OTHER = `A hospital in Duesseldorf diverted emergency patients to other clinics on Friday after a ransomware
attack encrypted its servers. Staff returned to paper records while technicians restored systems from backups.
Investigators are examining a ransom note left on the network. Planned operations were postponed until Monday.`;

describe("shingles and MinHash", () => {
  it("hashes the same words `words` finds, in one scan, whatever the script", () => {
    const texts = [
      BASE,
      OTHER,
      "Ünïcode Straße — “quoted” APT28’s Ｆｕｌｌｗｉｄｔｈ 東京 攻撃 𝐌𝐚𝐭𝐡 𐐀𐐨 x\u00ADy\u200Bz 42",
      "",
      "   ...   ",
      "end-of-text word",
    ];
    for (const t of texts) {
      const expected = words(t);
      const { hashes, lengths } = wordHashes(t);
      expect(hashes).toEqual(expected.map(fnv1a));
      expect(lengths).toEqual(expected.map((w) => w.length));
    }
  });

  it("computes both signatures of a text from one scan, equal to each on its own", () => {
    const both = textSignatures(BASE);
    expect([...both.signature]).toEqual([...signature(BASE)]);
    expect([...both.topic]).toEqual([...topicSignature(BASE)]);
  });

  it("normalises words: lower case, punctuation stripped, numbers kept", () => {
    expect(words("APT40's 2021 intrusion, (CVE-2024-21887)!")).toEqual([
      "apt40",
      "s",
      "2021",
      "intrusion",
      "cve",
      "2024",
      "21887",
    ]);
  });

  it("gives equal signatures for equal text, and the same across calls", () => {
    expect([...signature(BASE)]).toEqual([...signature(`${BASE}`)]);
    expect([...signature(BASE.toUpperCase())]).toEqual([...signature(BASE)]);
    expect([...fromBytes(toBytes(signature(BASE)))]).toEqual([...signature(BASE)]);
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
    expect(bandKeys(signature("  ..  "))).toEqual([]);
  });

  it("puts near-copies in a shared LSH band and rarely puts unrelated texts together", () => {
    const copy = `Republished with permission.\n\n${BASE}\n\nSubscribe for more.`;
    const keys = new Set(bandKeys(signature(BASE)));
    expect(bandKeys(signature(copy)).some((k) => keys.has(k))).toBe(true);
    // 200 distinct texts of shuffled words share hardly any band key with BASE or with one another.
    const vocab = words(`${BASE} ${OTHER}`);
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const seen = new Map<number, number>();
    let collisions = 0;
    for (let t = 0; t < 200; t++) {
      const text = Array.from({ length: 80 }, () => vocab[Math.floor(rand() * vocab.length)]).join(" ");
      const mine = new Set(bandKeys(signature(text)));
      const others = new Set([...mine].map((k) => seen.get(k)).filter((x) => x !== undefined));
      collisions += others.size;
      for (const k of mine) seen.set(k, t);
      for (const k of mine) if (keys.has(k)) collisions++;
    }
    expect(collisions).toBeLessThan(5);
  });
});
