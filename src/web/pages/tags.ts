// `/actors/<name>` and `/countries/<code>`: the card, the weekly trend as inline SVG, and the latest stories.

import { didYouMean } from "../../commands/resolve.js";
import { enc, type Html, html, layout } from "../html.js";
import type { WebDeps } from "../parts.js";
import { storyList, trendFigure } from "../parts.js";

const LATEST = 10;

export const weeksOf = (q: URLSearchParams): number => (q.get("weeks") === "52" ? 52 : 26);

/** A page for a name nobody knows: what was typed and the names it resembles, as links. */
export function unknownName(deps: WebDeps, kind: "actor" | "country", typed: string, authed: boolean): Html {
  const close = deps.names
    .suggest(typed, 6)
    .filter((s) => s.kind === kind)
    .slice(0, 3);
  const body = html`<h1>No ${kind} called "${typed}"</h1>
<p>${didYouMean(close) || "Check the spelling, or search the stories."}</p>
<p><a href="/?q=${enc(typed)}">Search the stories for "${typed}"</a></p>`;
  return layout(`Unknown ${kind}`, body, { authed });
}

/** A page and its status: 404 for a name nobody knows. */
export type Page = { status: 200 | 404; body: Html };

export async function actorPage(
  deps: WebDeps,
  name: string,
  q: URLSearchParams,
  authed: boolean,
): Promise<Page> {
  const actor = deps.names.resolveActor(name) ?? deps.names.actor(name);
  if (!actor) return { status: 404, body: unknownName(deps, "actor", name, authed) };
  const latest = await deps.store.byTag({ kind: "actor", id: actor.id }, LATEST);
  const sponsor = actor.sponsor ? deps.names.country(actor.sponsor) : undefined;
  const aliases = actor.aliases.filter((a) => a.toLowerCase() !== actor.name.toLowerCase());
  const body = html`<h1>${actor.name}</h1>
<section class="card" aria-label="Actor card"><dl>
<dt>Also known as</dt><dd>${aliases.length ? aliases.join(", ") : "no other names on record"}</dd>
<dt>Suspected sponsor</dt><dd>${sponsor ? html`<a href="/countries/${enc(sponsor.code.toLowerCase())}">${sponsor.name}</a>` : "not attributed"}</dd>
<dt>MITRE ATT&amp;CK</dt><dd>${actor.attackId ?? "no group id"}</dd>
<dt>Stories</dt><dd>${latest.total}</dd>
</dl></section>
<h2>Stories per week</h2>
${await trendFigure(deps, { kind: "actor", id: actor.id }, actor.name, weeksOf(q))}
<h2>Latest stories</h2>
${storyList(latest.stories)}
${latest.total > LATEST ? html`<p><a href="/?actor=${enc(actor.id)}">All ${latest.total} stories</a></p>` : ""}`;
  return { status: 200, body: layout(actor.name, body, { authed }) };
}

export async function countryPage(
  deps: WebDeps,
  code: string,
  q: URLSearchParams,
  authed: boolean,
): Promise<Page> {
  const country = deps.names.resolveCountry(code);
  if (!country) return { status: 404, body: unknownName(deps, "country", code, authed) };
  const [any, blamed, target] = await Promise.all([
    deps.store.byTag({ kind: "country", code: country.code }, 1),
    deps.store.byTag({ kind: "country", code: country.code, role: "sponsor" }, LATEST),
    deps.store.byTag({ kind: "country", code: country.code, role: "target" }, LATEST),
  ]);
  const lower = enc(country.code.toLowerCase());
  const more = (n: number, role: string) =>
    n > LATEST ? html`<p><a href="/?country=${lower}&amp;role=${role}">All ${n}</a></p>` : "";
  const body = html`<h1>${country.flag} ${country.name}</h1>
<section class="card" aria-label="Country card"><dl>
<dt>Code</dt><dd>${country.code}</dd>
<dt>Stories naming it</dt><dd><a href="/?country=${lower}">${any.total}</a></dd>
<dt>Stories that blame it</dt><dd>${blamed.total}</dd>
<dt>Stories where it is a target</dt><dd>${target.total}</dd>
</dl></section>
<h2>Stories per week</h2>
${await trendFigure(deps, { kind: "country", code: country.code }, country.name, weeksOf(q))}
<h2>Stories that blame ${country.name}</h2>
${storyList(blamed.stories)}${more(blamed.total, "sponsor")}
<h2>Stories where ${country.name} is a target</h2>
${storyList(target.stories)}${more(target.total, "target")}`;
  return { status: 200, body: layout(country.name, body, { authed }) };
}
