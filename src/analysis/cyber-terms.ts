// The cyber vocabulary: words and phrases that make an article about hacking, with a weight each.

/**
 * One line per term group (its forms separated by `|`). Strong terms (2) are cyber on their own; weak ones (1)
 * are ordinary words too ("breach", "exploit") and count only together with another term. A form's words are
 * matched as tokens, so "zero-day", "zero day" and "Zero Day" are one form.
 */
export const STRONG_TERMS = `
malware | malicious code | malicious software
ransomware
phishing | phish | phished | phishes | spearphishing | spear phishing | smishing
hacker | hackers | hacking | hacktivist | hacktivists
cyberattack | cyberattacks | cyber attack | cyber attacks
cyberespionage | cyber espionage | espionage campaign | espionage campaigns
cybersecurity | cyber security
cybercrime | cybercriminal | cybercriminals
zero day | zeroday | zero days
botnet | botnets
ddos | denial of service
backdoor | backdoors
spyware | infostealer | infostealers | keylogger | rootkit
exfiltration | exfiltrated
threat actor | threat actors | advanced persistent threat | threat intelligence
data breach | data breaches | security breach
computer virus | computer worm
remote code execution | command and control | credential stuffing | password spraying | supply chain attack
cisa | ncsc
`;

export const WEAK_TERMS = `
breach | breaches | breached
espionage
exploit | exploits | exploited | exploiting
vulnerability | vulnerabilities | security flaw | security flaws
intrusion | intrusions
credential | credentials
hack | hacked | hacks
compromised
cyber
trojan
wiper
defaced | defacement
firewall | firewalls
password | passwords
`;

/** Ordinary phrases that start with a term and make it not count: "breach of contract". */
export const NOT_TERMS = `
breach of contract | breach of duty | breach of trust | breach of the peace | breach of peace | breach of promise
breach of protocol | breach of warranty | breach of confidence | breach of covenant | breach of fiduciary
breach of the rules | breach of the ceasefire | breach of bail | breach of the agreement | breach of privilege
hack writer | hack writers | exploited workers
`;
