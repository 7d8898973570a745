// Word sets for context rules, stored as token hashes so checks cost one Set lookup per token.

import { hashKey } from "./token-keys.js";
import type { Tokens } from "./tokenizer.js";

/**
 * A set of token hashes with a bitset in front: most tokens are not in it, and one bit tells them apart before
 * the set is asked (the rules ask about every token near every name).
 */
export class WordSet extends Set<number> {
  private readonly bits = new Uint32Array(1024);
  override add(h: number): this {
    if (this.bits) this.bits[(h >>> 5) & 1023] = (this.bits[(h >>> 5) & 1023] as number) | (1 << (h & 31));
    return super.add(h);
  }
  override has(h: number): boolean {
    return ((this.bits[(h >>> 5) & 1023] as number) & (1 << (h & 31))) !== 0 && super.has(h);
  }
}

/** The token hashes of these space-separated words, as a WordSet. */
export function wordSet(words: string): WordSet {
  const out = new WordSet();
  for (const w of words.split(/\s+/)) if (w) out.add(hashKey(w));
  return out;
}

const hashes = wordSet;

/** Words that put an ordinary-word alias in a cyber context when nearby. */
export const CYBER_CUES =
  hashes(`apt apts hacker hackers hacking hack hacked hacks cyber cyberattack cyberattacks
  cyberespionage cybersecurity cybercrime cybercriminal cybercriminals espionage spying spy spies cyberspies malware
  ransomware phishing phished phish spearphishing backdoor backdoors exploit exploits exploited exploiting vulnerability
  vulnerabilities breach breaches breached intrusion intrusions intruders threat campaign campaigns
  attribution attributed compromise compromised infiltrated infiltration botnet wiper implant implants spyware trojan
  exfiltrated exfiltration sponsored mandiant crowdstrike secureworks proofpoint kaspersky eset symantec cisa ncsc
  gchq gcsb zeroday stealer credential credentials group groups backed nexus gang fbi nsa heist cryptocurrency
  crypto leaked ddos defaced defacement`);

/** Words that confirm an alias when right next to it: "Sandworm hackers", "the Leviathan group". */
export const ADJACENT_CUES =
  hashes(`group gang team crew hackers hacker apt actor actors operators ransomware malware
  cluster collective campaign intrusion unit cell spies`);

/** Words that confirm a malware name right next to it: "Pony loader", "LockBit ransomware", "the Zeus banking trojan". */
export const MALWARE_CUES =
  hashes(`malware ransomware backdoor backdoors loader loaders trojan trojans implant implants rat rats botnet botnets
  stealer stealers infostealer infostealers wiper wipers worm worms dropper droppers downloader downloaders spyware
  variant variants payload payloads strain strains keylogger rootkit rootkits webshell`);

/** Function words: a capitalised one next to a name says nothing about a longer proper noun. */
export const FUNCTION_WORDS =
  hashes(`the a an in on at of and or but for to by with from as is was are were it its
  this that these those he she they we i his her their our after before when while since during according meanwhile
  however also both all some many last next said says`);

/** Words in names that may stay lowercase ("People's Republic of China", "The Dukes"). */
export const FILLERS = hashes("the of and de la el al d da do du des di van von a an in on for");

export const has = (set: Set<number>, t: Tokens, k: number): boolean =>
  k >= 0 && k < t.n && set.has(t.hash[k] as number);
