// Shapes of the compiled gazetteer files and of the resolver API the command layer uses.

export type Source = "threat-actor" | "mitre-intrusion-set" | "microsoft-activity-group" | "override";

/** How an alias may be written in text: "any" case, every word "cap"italised, "upper"case, or "off" (resolver only). */
export type CaseRule = "any" | "cap" | "upper" | "off";

/** Cyber context an alias needs: none, a cue word nearby, or a cue word right next to it. */
export type ContextRule = "none" | "cue" | "adjacent";

export interface AliasRecord {
  name: string;
  /** Token keys joined by spaces ("apt 40"), precomputed so loading does not tokenise; absent for overrides. */
  key?: string;
  sources: Source[];
  /** Vendor naming scheme, used to order aliases (microsoft, crowdstrike, mandiant, ...). */
  scheme: string;
  match: CaseRule;
  context: ContextRule;
  /** Every content word is an ordinary English word (classified with the word-list package). */
  ordinary: boolean;
  /** Why the alias is resolver-only, when match is "off". */
  note?: string;
}

export interface ActorRecord {
  id: string;
  uuid: string;
  attackId: string | null;
  sponsor: string | null;
  origin: Source;
  /** Threat-actor clusters ATT&CK treats as this same group, folded in here. */
  merged?: { id: string; uuid: string }[];
  aliases: AliasRecord[];
}

export interface ContestRecord {
  alias: string;
  claimants: { id: string; votes: number }[];
  winner: string | null;
  rule: "canonical" | "votes" | "undecided" | "override";
}

export interface ActorsFile {
  format: 1;
  sources: { name: string; version: number | null; clusters: number }[];
  actors: ActorRecord[];
  contested: ContestRecord[];
}

/**
 * name/alt/demonym/abbr: the country itself; capital: in a government sense (else as a place); seat: Kremlin,
 * White House; agency; place: a US state or major city, tagged only where it locates a victim ("an Ohio hospital").
 */
export type TermKind = "name" | "alt" | "demonym" | "abbr" | "capital" | "seat" | "agency" | "place";

export interface TermRecord {
  text: string;
  /** Token keys joined by spaces, precomputed at build time. */
  key?: string;
  kind: TermKind;
  match: "cap" | "exact";
  /** person: also a first name or surname; state: also a US state; cue: needs cyber context; intel: an attributing spy agency. */
  flags?: ("person" | "state" | "cue" | "intel")[];
}

export interface CountryRecord {
  code: string;
  name: string;
  official: string;
  flag: string;
  independent: boolean;
  capital: string | null;
  demonyms: string[];
  terms: TermRecord[];
}

export interface CountriesFile {
  format: 1;
  countries: CountryRecord[];
  /** Phrases containing a country word that are not about the country ("New Mexico", "South China Sea"). */
  blockers: string[];
}

export interface ActorInfo {
  id: string;
  name: string;
  attackId: string | null;
  sponsor: string | null;
  uuid: string;
  /** Main aliases first: the vendor names a user would recognise. */
  aliases: string[];
}

export interface CountryInfo {
  code: string;
  name: string;
  official: string;
  flag: string;
  demonyms: string[];
  capital: string | null;
  aliases: string[];
}

export interface NameMatch {
  kind: "actor" | "country";
  id: string;
  label: string;
  alias: string;
}

/** A malware alias that does not match as a plain codename (case "cap", context "none"): its rules. */
export interface MalwareAliasRule {
  name: string;
  match: CaseRule;
  context: ContextRule;
  /** Made of ordinary English words. */
  ordinary?: true;
  /**
   * "ransomware": the name counts only with a ransomware word beside it ("Python ransomware", not "a Python
   * backdoor"); "other": a name a ransomware family shares, which counts for this family only without one.
   */
  kind?: "ransomware" | "other";
}

export interface MalwareRecord {
  /** Canonical name in the Malpedia galaxy, else in the ransomware galaxy ("PlugX", "Vortex Ransomware"). */
  id: string;
  /** Display name when it differs from the id (platform qualifier or " Ransomware" dropped). */
  name?: string;
  /** A plain string is a codename matched capitalised without context; others carry their rules. */
  aliases: (string | MalwareAliasRule)[];
}

export interface MalwareFile {
  format: 1;
  sources: { name: string; version: number | null; clusters: number }[];
  malware: MalwareRecord[];
}
