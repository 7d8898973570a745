// `cyberbrief analyze FILE...`: tags and summary for each file, without storing anything.

import { readFileSync, statSync } from "node:fs";
import type { ActorTag, Analyse, CountryTag, MalwareTag, SectorTag } from "../core/article.js";
import { errorMessage } from "../core/errors.js";
import { isRejected, readArticle } from "../ingest/reader.js";

export interface AnalyzedFile {
  file: string;
  date?: string;
  dateEstimated?: boolean;
  title?: string;
  summary?: string;
  /** About hacking (an actor, a CVE id or cyber vocabulary): only these reach `all` subscribers. */
  cyber?: boolean;
  /** The words that count toward `cyber`. */
  cyberEvidence?: Array<{ text: string; offset: number }>;
  actors?: ActorJson[];
  countries?: CountryJson[];
  /** The victims' sectors, each with the words that placed it. */
  sectors?: SectorTag[];
  /** Malware families named (`id` is the Malpedia or ransomware galaxy's canonical name). */
  malware?: MalwareJson[];
  /** CVE ids named, upper-case, each once. */
  cves?: string[];
  error?: string;
  detail?: string;
}

/** The tag shapes `analyze --json` and `export` print (the analysis' tags without anything added later). */
export type ActorJson = Pick<ActorTag, "id" | "name" | "attackId" | "sponsor" | "matched">;
export type CountryJson = Pick<CountryTag, "code" | "name" | "roles" | "matched">;
export type MalwareJson = Pick<MalwareTag, "id" | "name" | "matched">;

export function tagsJson(
  actors: readonly ActorTag[],
  countries: readonly CountryTag[],
): { actors: ActorJson[]; countries: CountryJson[] } {
  return {
    actors: actors.map(({ id, name, attackId, sponsor, matched }) => ({
      id,
      name,
      attackId,
      sponsor,
      matched,
    })),
    countries: countries.map(({ code, name, roles, matched }) => ({ code, name, roles, matched })),
  };
}

export function analyzeFiles(files: string[], analyse: Analyse): AnalyzedFile[] {
  return files.map((file) => {
    try {
      const st = statSync(file);
      if (!st.isFile()) return { file, error: "unreadable", detail: "not a regular file" };
      const article = readArticle(readFileSync(file), { path: file, mtimeMs: st.mtimeMs });
      if (isRejected(article)) return { file, error: article.rejected, detail: article.detail };
      const a = analyse(article);
      return {
        file,
        date: article.date,
        dateEstimated: article.dateEstimated,
        title: article.title,
        summary: a.summary,
        cyber: a.cyber,
        cyberEvidence: a.cyberEvidence,
        ...tagsJson(a.actors, a.countries),
        sectors: (a.sectors ?? []).map(({ id, matched }) => ({ id, matched })),
        malware: (a.malware ?? []).map(({ id, name, matched }) => ({ id, name, matched })),
        cves: a.cves,
      };
    } catch (err) {
      return { file, error: "unreadable", detail: errorMessage(err) };
    }
  });
}

const words = (xs: Array<{ text: string }>) => [...new Set(xs.map((m) => m.text))].join(", ");

export function analysisReport(results: AnalyzedFile[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.file}`);
    if (r.error) {
      out.push(`  rejected: ${r.error} (${r.detail})`, "");
      continue;
    }
    out.push(
      `  Title:     ${r.title}`,
      `  Date:      ${r.date}${r.dateEstimated ? " (estimated from the file's time)" : ""}`,
    );
    out.push(`  Summary:   ${r.summary}`);
    const because = r.cyberEvidence?.length ? `, matched ${words(r.cyberEvidence)}` : "";
    out.push(
      r.cyber
        ? `  Cyber:     yes${because}`
        : `  Cyber:     no (stored, but not alerted to "all" subscribers)${because}`,
    );
    for (const a of r.actors ?? []) {
      const extra = [a.attackId, a.sponsor ? `sponsor ${a.sponsor}` : null].filter(Boolean).join(", ");
      out.push(
        `  Actor:     ${a.name}${extra ? ` (${extra})` : ""}, matched ${words(a.matched as Array<{ text: string }>)}`,
      );
    }
    for (const c of r.countries ?? []) {
      out.push(
        `  Country:   ${c.code} ${c.name} [${c.roles.join(", ")}], matched ${words(c.matched as Array<{ text: string }>)}`,
      );
    }
    if (r.sectors?.length) {
      out.push(`  Sectors:   ${r.sectors.map((s) => `${s.id} (matched ${words(s.matched)})`).join("; ")}`);
    }
    if (r.malware?.length) {
      const list = r.malware.map((m) => `${m.name} (matched ${words(m.matched)})`);
      out.push(`  Malware:   ${list.join("; ")}`);
    }
    if (r.cves?.length) out.push(`  CVEs:      ${r.cves.join(", ")}`);
    const tagged = [r.actors, r.countries, r.sectors, r.malware, r.cves].some((xs) => xs?.length);
    if (!tagged) out.push("  Tags:      none");
    out.push("");
  }
  return `${out.join("\n")}`;
}
