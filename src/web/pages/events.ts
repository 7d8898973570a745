// `/`: the latest events with their tags and sources, paged, searchable, filtered by actor, country (by role),
// sector, malware and CVE id; names are resolved as `/cyber` resolves them.

import { splitWords } from "../../commands/parse-words.js";
import { didYouMean, resolveTag } from "../../commands/resolve.js";
import { SECTORS } from "../../core/article.js";
import type { TagQuery } from "../../store/types.js";
import { type Html, html, layout } from "../html.js";
import { PAGE_SIZE, pager, storyList, type WebDeps } from "../parts.js";

type Role = "any" | "sponsor" | "target";
const ROLES: Array<[Role, string]> = [
  ["any", "any role"],
  ["sponsor", "blamed"],
  ["target", "target"],
];

/** The filters typed, resolved to tag queries; what could not be resolved, one line each. */
function filtersOf(deps: WebDeps, q: URLSearchParams): { tags: TagQuery[]; problems: string[] } {
  const tags: TagQuery[] = [];
  const problems: string[] = [];
  const value = (k: string) => (q.get(k) ?? "").trim().slice(0, 200);
  const actor = value("actor");
  if (actor) {
    const r = resolveTag(deps.names, { kind: "actor", value: actor }, deps.malware);
    if (r.kind === "actor") tags.push({ kind: "actor", id: r.actor.id });
    else
      problems.push(`No actor called "${actor}". ${r.kind === "unknown" ? didYouMean(r.suggestions) : ""}`);
  }
  const country = value("country");
  const role = (ROLES.find(([r]) => r === q.get("role"))?.[0] ?? "any") as Role;
  if (country) {
    const r = resolveTag(deps.names, { kind: "country", value: country }, deps.malware);
    if (r.kind === "country")
      tags.push({ kind: "country", code: r.country.code, ...(role === "any" ? {} : { role }) });
    else
      problems.push(
        `No country called "${country}". ${r.kind === "unknown" ? didYouMean(r.suggestions) : ""}`,
      );
  }
  for (const kind of ["sector", "malware", "cve"] as const) {
    const typed = value(kind);
    if (!typed) continue;
    const r = resolveTag(deps.names, { kind, value: typed }, deps.malware);
    if (r.kind === "sector" || r.kind === "cve") tags.push({ kind: r.kind, id: r.id });
    else if (r.kind === "malware") tags.push({ kind: "malware", id: r.malware.id });
    else if (r.kind === "invalid") problems.push(r.problem);
  }
  return { tags, problems: problems.map((p) => p.trim()) };
}

function filterForm(q: URLSearchParams): Html {
  const v = (k: string) => q.get(k) ?? "";
  const role = q.get("role") ?? "any";
  const sector = q.get("sector") ?? "";
  return html`<form class="filters" method="get" action="/" aria-label="Filters">
<input type="hidden" name="q" value="${v("q")}">
<label for="f-actor">Actor <input id="f-actor" name="actor" value="${v("actor")}" placeholder="apt40, kryptonite panda"></label>
<label for="f-country">Country <input id="f-country" name="country" value="${v("country")}" placeholder="nz, china"></label>
<label for="f-role">Role <select id="f-role" name="role">${ROLES.map(
    ([r, label]) => html`<option value="${r}"${r === role ? html` selected` : ""}>${label}</option>`,
  )}</select></label>
<label for="f-sector">Sector <select id="f-sector" name="sector"><option value="">any</option>${SECTORS.map(
    (s) => html`<option value="${s}"${s === sector ? html` selected` : ""}>${s}</option>`,
  )}</select></label>
<label for="f-malware">Malware <input id="f-malware" name="malware" value="${v("malware")}" placeholder="plugx"></label>
<label for="f-cve">CVE <input id="f-cve" name="cve" value="${v("cve")}" placeholder="CVE-2024-3400"></label>
<button type="submit">Filter</button>
<a href="/">Clear</a>
</form>`;
}

export async function eventsPage(deps: WebDeps, q: URLSearchParams, authed: boolean): Promise<Html> {
  const page = Math.max(1, Math.min(10_000, Number.parseInt(q.get("page") ?? "1", 10) || 1));
  const words = (q.get("q") ?? "").slice(0, 500);
  const terms = words.trim() ? splitWords(words) : [];
  const { tags, problems } = filtersOf(deps, q);
  const result =
    problems.length > 0
      ? { stories: [], total: 0 }
      : await deps.insights.filtered({ tags, terms }, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const what = terms.length
    ? `Search: ${terms.map((t) => (t.includes(" ") ? `"${t}"` : t)).join(" ")}`
    : tags.length
      ? "Filtered events"
      : "Latest events";
  const total = `${result.total}${result.capped ? "+" : ""}`;
  const body = html`<h1>${what}</h1>
${filterForm(q)}
${problems.map((p) => html`<p class="notice" role="alert">${p}</p>`)}
<p class="muted">${total} ${result.total === 1 ? "event" : "events"}${terms.length ? ", newest stored first; every word must appear" : ", newest first"}.</p>
<h2 class="visually-hidden">Results</h2>
${storyList(result.stories)}
${pager(q, page, result.stories.length, result.total, PAGE_SIZE)}`;
  return layout(what, body, { q: words, authed });
}
