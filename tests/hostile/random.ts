// Seeded randomness and article text for the hostile-input suites: the same seed always builds the same files.

/** mulberry32: a small, fast, seeded PRNG; good enough to pick test cases, and deterministic. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const bytes = (n: number): Buffer => {
    const buf = Buffer.alloc(n);
    for (let i = 0; i < n; i++) buf[i] = Math.floor(next() * 256);
    return buf;
  };
  return { next, int, pick, bytes };
}

export type Random = ReturnType<typeof seededRandom>;

const ACTORS = [
  "APT40",
  "Kryptonite Panda",
  "Gingham Typhoon",
  "APT29",
  "Cozy Bear",
  "Fancy Bear",
  "Lazarus Group",
  "Volt Typhoon",
  "Sandworm",
  "APT31",
];
const COUNTRIES = ["New Zealand", "China", "Russia", "Australia", "Iran", "North Korea", "Ukraine", "Taiwan"];
const WORDS = [
  "network",
  "intrusion",
  "espionage",
  "ministry",
  "advisory",
  "campaign",
  "credentials",
  "phishing",
  "parliament",
  "infrastructure",
  "malware",
  "researchers",
  "defenders",
  "telecommunications",
  "exploited",
  "vulnerability",
];

/** One sentence about state-sponsored hacking, with an actor and a country most of the time. */
export function sentence(r: Random): string {
  const words = Array.from({ length: r.int(6, 14) }, () => r.pick(WORDS));
  if (r.next() < 0.7) words.splice(r.int(0, words.length), 0, r.pick(ACTORS));
  if (r.next() < 0.7) words.splice(r.int(0, words.length), 0, "hackers from", r.pick(COUNTRIES));
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A valid seed-format article; `tag` makes its text unique so it is never a duplicate of another. */
export function article(r: Random, tag: string, paragraphs = r.int(1, 4)): string {
  const day = String(r.int(1, 28)).padStart(2, "0");
  const month = String(r.int(1, 12)).padStart(2, "0");
  const body = Array.from({ length: paragraphs }, (_, i) =>
    Array.from({ length: r.int(2, 5) }, () => sentence(r))
      .concat(i === 0 ? [`Report ${tag}.`] : [])
      .join(" "),
  );
  return `date 2024-${month}-${day}\n\nCyber report ${tag}\n\n${body.join("\n\n")}\n`;
}
