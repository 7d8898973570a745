// The cyber signal: which articles are about hacking (actor, CVE id, cyber vocabulary) and which are not.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAnalyser } from "../../src/analysis/index.js";
import { articleFromMarkdown, articleOf, gazetteer } from "./helpers.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/relevance");
const CORPUS = join(import.meta.dirname, "../fixtures/corpus");
const analyse = createAnalyser(gazetteer());
const fixture = (name: string) =>
  analyse(articleFromMarkdown(readFileSync(join(FIXTURES, name), "utf8"), join(FIXTURES, name)));
const text = (title: string, body: string) =>
  analyse(articleOf("/t.md", title, [{ kind: "paragraph", text: body }]));

describe("the cyber signal", () => {
  it("a Dune film review (sandworms, the worm, a 'threat', a 'campaign') is not cyber and names no actor", () => {
    const review = fixture("dune-review.md");
    expect(review.actors).toEqual([]);
    expect(review.cyber).toBe(false);
  });

  it("the same Sandworm, in an article about hackers, is the actor and the story is cyber", () => {
    const a = text(
      "Power grid attack",
      "Sandworm hackers, the group behind attacks on the Ukrainian grid, used a new wiper against a utility.",
    );
    expect(a.actors.map((x) => x.id)).toEqual(["Sandworm"]);
    expect(a.cyber).toBe(true);
    expect(a.cyberEvidence.map((e) => e.text)).toEqual(expect.arrayContaining(["Sandworm", "hackers"]));
  });

  it("an NZ story with breach and espionage vocabulary but no actor is cyber, with its words as evidence", () => {
    const nz = fixture("nz-breach.md");
    expect(nz.actors).toEqual([]);
    expect(nz.countries.map((c) => c.code)).toContain("NZ");
    expect(nz.cyber).toBe(true);
    expect(nz.cyberEvidence.map((e) => e.text)).toEqual(
      expect.arrayContaining(["breach", "espionage", "credentials"]),
    );
  });

  it("'breach of contract' (said three times) is not cyber, nor is a medical virus that might 'exploit' a gap", () => {
    expect(fixture("contract-dispute.md").cyber).toBe(false);
    expect(fixture("contract-dispute.md").cyberEvidence).toEqual([]);
    expect(fixture("flu-virus.md").cyber).toBe(false);
  });

  it("one weak word repeated is not enough; two different weak words are; one strong word is", () => {
    expect(text("Dam", "The breach in the dam grew. The breach was repaired.").cyber).toBe(false);
    expect(text("Dam", "A breach of the dam's control system used stolen credentials.").cyber).toBe(true);
    expect(text("Mail", "Staff received a phishing email on Monday.").cyber).toBe(true);
  });

  it("a note with only a CVE id is cyber; the id is the evidence, at its offset in the body", () => {
    const note = fixture("cve-note.md");
    expect(note.cyber).toBe(true);
    const body = articleFromMarkdown(readFileSync(join(FIXTURES, "cve-note.md"), "utf8")).body;
    expect(note.cyberEvidence).toEqual([{ text: "CVE-2024-3400", offset: body.indexOf("CVE-2024-3400") }]);
    expect(text("Numbers", "Form CVE 2024 3400 is due.").cyber).toBe(false);
  });

  it("lists each CVE id once, upper-case, in body order after those named only in the title", () => {
    const a = text(
      "Patch cve-2024-3400 and CVE-2022-0001 now",
      "CVE-2023-46805 and CVE-2024-21887 were chained; CVE-2024-3400 again. CVE-24-1234, CVE-2024-123 and CVE 2024 5555 are not ids; CVE-2024-1234567 is.",
    );
    // A year of four digits and an id of four or more.
    expect(a.cves).toEqual([
      "CVE-2022-0001",
      "CVE-2023-46805",
      "CVE-2024-21887",
      "CVE-2024-3400",
      "CVE-2024-1234567",
    ]);
    expect(text("Numbers", "Form CVE 2024 3400 is due.").cves).toEqual([]);
  });

  it("matches words on token boundaries: 'Malwareless' or 'phishingly' are not terms, 'zero-day' is", () => {
    expect(text("Odd", "A malwareless phishingly quiet week.").cyber).toBe(false);
    expect(text("Patch", "Vendors fixed a zero-day on Friday.").cyber).toBe(true);
  });

  it("over the labelled corpus, exactly the articles about hacking are cyber", () => {
    const notCyber = [
      "09_dune_review",
      "10_typhoon_weather",
      "11_silence_boardroom",
      "15_turkey_vouchers",
      "32_patchwork_quilt",
      "34_platinum_jeweller",
      "37_wine_tariffs",
      "44_football_report",
      "49_leviathan_play",
      "55_cable_cuts",
      "57_call_centre_fraud",
      "59_tech_stocks",
      "62_it_workers",
      "65_oscars_moonlight",
      "67_mercury_probe",
      "69_kremlin_disinfo",
      "88_sunburst_bakeoff",
      "89_zeus_exhibition",
    ];
    const verdicts = Object.fromEntries(
      readdirSync(CORPUS)
        .filter((f) => f.endsWith(".md"))
        .map((f) => [
          f.replace(/\.md$/, ""),
          analyse(articleFromMarkdown(readFileSync(join(CORPUS, f), "utf8"))).cyber,
        ]),
    );
    const notCyberFound = Object.keys(verdicts).filter((k) => !verdicts[k]);
    expect(notCyberFound.sort()).toEqual(notCyber);
  });
});
