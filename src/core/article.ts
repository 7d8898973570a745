// The article as read from disk, and what analysis adds to it.

export type Block = { kind: "heading" | "paragraph"; text: string };

export interface Article {
  /** Absolute path of the file the article came from. */
  path: string;
  title: string;
  /** ISO date, YYYY-MM-DD. */
  date: string;
  /** True when the file carried no date and the file's mtime was used. */
  dateEstimated: boolean;
  url: string | null;
  source: string | null;
  /** Headings and paragraphs in article order, whitespace collapsed. */
  blocks: Block[];
  /** The blocks joined with a blank line between them; evidence offsets index into this string. */
  body: string;
  /** sha256 hex of the normalised text (title + body). */
  contentHash: string;
}

/** Where a tag was found: the exact text and its character offset in `Article.body` (-1 when in the title only). */
export interface Evidence {
  text: string;
  offset: number;
}

/**
 * A country's part in an article: `sponsor` (blamed), `target` (its government, organisations, people or
 * infrastructure attacked, breached, targeted or spied on), `mentioned` (named at all).
 */
export type CountryRole = "sponsor" | "target" | "mentioned";

/** The victims' sectors an article can be tagged with (issue 15's fixed list; ids as written). */
export const SECTORS = [
  "government",
  "elections",
  "defence",
  "diplomacy",
  "energy",
  "water",
  "telecom",
  "finance",
  "crypto",
  "healthcare",
  "education",
  "research",
  "technology",
  "manufacturing",
  "transport",
  "media",
  "legal",
  "ngo",
  "critical-infrastructure",
  "retail",
  "hospitality",
  "agriculture",
  "space",
  "military",
] as const;
export type SectorId = (typeof SECTORS)[number];

export interface SectorTag {
  id: SectorId;
  matched: Evidence[];
}

export interface MalwareTag {
  /** Canonical name in the MISP Malpedia or ransomware galaxy, e.g. "PlugX". */
  id: string;
  name: string;
  matched: Evidence[];
}

export interface ActorTag {
  /** Canonical MISP threat-actor name, e.g. "APT40". */
  id: string;
  name: string;
  /** MITRE ATT&CK group id such as "G0065", when known. */
  attackId: string | null;
  /** Suspected sponsor country, ISO 3166-1 alpha-2, when known. */
  sponsor: string | null;
  matched: Evidence[];
}

export interface CountryTag {
  /** ISO 3166-1 alpha-2. */
  code: string;
  name: string;
  roles: CountryRole[];
  matched: Evidence[];
}

export interface Analysis {
  summary: string;
  actors: ActorTag[];
  countries: CountryTag[];
  /**
   * The story is about hacking: it names an actor, a CVE id, or enough cyber vocabulary. Stories without it are
   * stored and searchable but not alerted to `all` subscribers.
   */
  cyber: boolean;
  /** What counts toward it: the first mention of each actor, CVE id and cyber term, in text order (title first). */
  cyberEvidence: Evidence[];
  /** The CVE ids named (CVE-, a four-digit year, four or more digits), upper-case, each once. */
  cves: string[];
  /** The victims' sectors (absent from an analyser that does not tag them). */
  sectors?: SectorTag[];
  /** Malware families and tools named, aliases resolved (absent from an analyser that does not tag them). */
  malware?: MalwareTag[];
  /**
   * MinHash signatures of the title and body (analysis/shingles.ts): of its word shingles and of its content
   * words. Made where the analysis runs (a worker), so deciding a story's event costs the save little; a store
   * makes them itself when absent.
   */
  signatures?: TextSignatures;
}

/** Two MinHash signatures of a text: of its word shingles (copies) and of its content words (its topic). */
export interface TextSignatures {
  signature: Uint32Array;
  topic: Uint32Array;
  /** The least values of `signature`: the keys a store indexes copies by (analysis/shingles.ts sketchKeys). */
  keys: number[];
}

/** The analysis stage: one pure function from an article to its tags and summary. */
export type Analyse = (article: Article) => Analysis;
