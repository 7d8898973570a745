// The read-only web pages as a request handler for the ops server (src/ops/http.ts): hono routes, security
// headers on every answer, the token check, and a login form that sets an HttpOnly, SameSite=Strict cookie.

import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { malwareNames } from "../commands/malware-names.js";
import { packagePath } from "../core/paths.js";
import { authorised, SESSION_COOKIE, safeNext, sameSecret, sessionValue } from "./auth.js";
import { type Html, html, layout, PAGE_HEADERS, STYLE_CSS } from "./html.js";
import { channelsPage, feedsPage } from "./pages/admin.js";
import { eventsPage } from "./pages/events.js";
import { storyPage } from "./pages/story.js";
import { actorPage, countryPage } from "./pages/tags.js";
import type { WebDeps } from "./parts.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function loginPage(next: string, problem?: string): Html {
  const body = html`<h1>Sign in</h1>
${problem ? html`<p class="notice" role="alert">${problem}</p>` : ""}
<form method="post" action="/login">
<input type="hidden" name="next" value="${next}">
<p><label for="token">Access token (CYBERBRIEF_WEB_TOKEN)</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>`;
  return layout("Sign in", body);
}

/** The web pages' hono app (exported for tests that call `app.request`). */
export function webApp(given: WebDeps): Hono {
  const deps: WebDeps = { ...given, malware: given.malware ?? malwareNames(packagePath("data")) };
  const app = new Hono();
  const page = async (c: Context, status: 200 | 401 | 404, body: Html) =>
    c.html(await body, status, PAGE_HEADERS);
  const authed = deps.token !== undefined;

  app.get("/assets/style.css", (c) =>
    c.body(STYLE_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "max-age=3600" }),
  );
  app.get("/login", (c) => page(c, 200, loginPage(safeNext(c.req.query("next")))));
  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === "string" ? form.next : undefined);
    const token = typeof form.token === "string" ? form.token : "";
    if (!deps.token || !sameSecret(token, deps.token))
      return page(c, 401, loginPage(next, "That token is not the one this bot was started with."));
    const secure = (c.req.header("x-forwarded-proto") ?? new URL(c.req.url).protocol).startsWith("https");
    setCookie(c, SESSION_COOKIE, sessionValue(deps.token), {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure,
    });
    return c.redirect(next, 303);
  });
  app.post("/logout", (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login", 303);
  });
  // Everything below needs the token (unless no token is configured: loopback only).
  app.use("*", async (c, next) => {
    if (authorised(c, deps.token)) return next();
    if (c.req.header("authorization")) return c.text("wrong token\n", 401, { "www-authenticate": "Bearer" });
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  });
  app.get("/", async (c) => page(c, 200, await eventsPage(deps, new URL(c.req.url).searchParams, authed)));
  app.get("/stories/:id", async (c) => {
    const found = await storyPage(deps, c.req.param("id"), authed);
    if (found) return page(c, 200, found);
    return page(
      c,
      404,
      layout(
        "No such story",
        html`<h1>No story with id ${c.req.param("id")}</h1><p><a href="/">Latest events</a></p>`,
        { authed },
      ),
    );
  });
  app.get("/actors/:name", async (c) => {
    const found = await actorPage(deps, c.req.param("name"), new URL(c.req.url).searchParams, authed);
    return page(c, found.status, found.body);
  });
  app.get("/countries/:code", async (c) => {
    const found = await countryPage(deps, c.req.param("code"), new URL(c.req.url).searchParams, authed);
    return page(c, found.status, found.body);
  });
  app.get("/channels", async (c) => page(c, 200, await channelsPage(deps, authed)));
  app.get("/feeds", async (c) => page(c, 200, await feedsPage(deps, authed)));
  app.notFound((c) =>
    page(
      c,
      404,
      layout("Not found", html`<h1>Not found</h1><p><a href="/">Latest events</a></p>`, { authed }),
    ),
  );
  app.onError((err, c) => {
    deps.log.error({ err, path: c.req.path }, "web page failed");
    return c.text("Something went wrong; the error is in the bot's log.\n", 500, PAGE_HEADERS);
  });
  return app;
}

/** The request handler the ops server hands every path but /healthz, /readyz and /metrics. */
export function webHandler(deps: WebDeps): Handler {
  return getRequestListener(webApp(deps).fetch);
}
