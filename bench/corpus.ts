// Deterministic synthetic articles for benchmarks: seeded, about 3 KB each, with actors, countries and filler.

const ACTORS = [
  "APT40",
  "Kryptonite Panda",
  "Gingham Typhoon",
  "APT31",
  "Zirconium",
  "APT29",
  "Midnight Blizzard",
  "Cozy Bear",
  "Sandworm Team",
  "Volt Typhoon",
  "Lazarus Group",
  "APT28",
  "Fancy Bear",
  "Charming Kitten",
  "Turla",
  "APT41",
  "Salt Typhoon",
  "Kimsuky",
];
const COUNTRIES = [
  "New Zealand",
  "Australia",
  "China",
  "Russia",
  "the United Kingdom",
  "Iran",
  "North Korea",
  "Germany",
  "France",
  "Japan",
  "India",
  "Canada",
  "Ukraine",
  "Taiwan",
  "the United States",
];
const DEMONYMS = ["Chinese", "Russian", "Iranian", "North Korean", "Australian", "British"];
const FILLER = [
  "Officials said the intrusion began months earlier through a vulnerable remote access appliance.",
  "Investigators found that the attackers moved laterally using stolen administrator credentials.",
  "The agency urged operators of critical infrastructure to patch their systems without delay.",
  "Security researchers published indicators of compromise alongside a detailed technical report.",
  "Parliament was briefed on the espionage campaign in a closed session on Tuesday.",
  "The ministry declined to comment on the scale of the data that may have been taken.",
  "Analysts noted overlaps in infrastructure with earlier operations attributed to the same group.",
  "Several universities and defence contractors were among the organisations targeted.",
  "The joint advisory recommended multi-factor authentication and network segmentation.",
  "Diplomats summoned the ambassador to protest against the malicious cyber activity.",
];

/** Mulberry32: small, fast and seedable, so every run builds the same corpus. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export function syntheticArticle(i: number, targetBytes = 3000): string {
  const r = rng(i + 1);
  const actor = pick(r, ACTORS);
  const victim = pick(r, COUNTRIES);
  const demonym = pick(r, DEMONYMS);
  const day = String(1 + (i % 28)).padStart(2, "0");
  const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0");
  const parts = [
    `date 2024-${month}-${day} ${victim} has accused ${demonym} state-sponsored hackers known as ${actor} of breaching government networks in incident number ${i}.`,
  ];
  let size = parts[0]?.length ?? 0;
  let paragraph: string[] = [];
  while (size < targetBytes) {
    const s =
      r() < 0.15
        ? `The group ${pick(r, ACTORS)} was also seen targeting ${pick(r, COUNTRIES)}.`
        : pick(r, FILLER);
    paragraph.push(s);
    size += s.length + 1;
    if (paragraph.length >= 4) {
      parts.push(paragraph.join(" "));
      if (r() < 0.3)
        parts.push(`Update ${i} on the ${pick(r, ["response", "investigation", "attribution"])}`);
      paragraph = [];
    }
  }
  if (paragraph.length) parts.push(paragraph.join(" "));
  return `${parts.join("\n\n")}\n`;
}
