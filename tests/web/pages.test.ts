// The web pages on a real store: every stored string escaped, a strict CSP, access by token, filters and
// search, a story's sources, tags, revisions and delivery log, actor and country cards, channels and feeds.

import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOf, bearer, DEAD, GOOD, TOKEN, type WebBed, webBed } from "./bed.js";

let bed: WebBed;
let app: Hono;
beforeAll(async () => {
  bed = await webBed();
  app = appOf(bed.deps);
});
afterAll(() => bed.store.close());

const get = async (path: string, headers: Record<string, string> = bearer) => {
  const res = await app.request(path, { headers });
  return { res, text: await res.text() };
};

describe("escaping and headers", () => {
  it.each(["/", "/?q=leak", "/actors/apt40"])(
    "%s shows a hostile title as text, never as markup",
    async (path) => {
      const { res, text } = await get(path);
      expect(res.status).toBe(200);
      expect(text).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
      expect(text).not.toContain("<script");
      expect(text).not.toContain("<img src=x");
    },
  );

  it("the story page of the hostile story escapes its title, summary, tags and earlier revision", async () => {
    const { text } = await get(`/stories/${bed.ids.hostile}`);
    expect(text).toContain("<title>&lt;script&gt;");
    expect(text).toMatch(/revision 2/);
    expect(text).toMatch(/<strong>Revision 1<\/strong>, saved \S+: &lt;script&gt;/);
    expect(text).not.toContain("<script");
  });

  it.each(["/", "/channels", "/feeds", "/stories/ffff", "/login"])(
    "%s sets a strict CSP and no-store",
    async (path) => {
      const { res } = await get(path);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    },
  );
});

describe("access", () => {
  it("without a token a page redirects to the login form; a wrong bearer is 401", async () => {
    const { res } = await get("/channels", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Fchannels");
    expect((await get("/channels", { authorization: "Bearer nope" })).res.status).toBe(401);
  });

  it("the login form sets an HttpOnly, SameSite=Strict cookie that opens the pages, and only for the right token", async () => {
    const form = (token: string, next: string) =>
      app.request("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, next }).toString(),
      });
    expect((await form("wrong-token", "/channels")).status).toBe(401);
    const ok = await form(TOKEN, "/channels");
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/channels");
    const cookie = ok.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(";")[0] ?? "";
    expect((await get("/channels", { cookie: session })).res.status).toBe(200);
    expect((await get("/channels", { cookie: "cyberbrief_session=forged" })).res.status).toBe(303);
    // Only a path on this site is returned to.
    expect((await form(TOKEN, "//evil.example/")).headers.get("location")).toBe("/");
  });

  it("with no token configured (loopback only) the pages are open", async () => {
    const open = appOf({ ...bed.deps, token: undefined });
    expect((await open.request("/channels")).status).toBe(200);
  });
});

describe("pages", () => {
  it("/ lists the latest events with tags, sources and paging; filters and search narrow it", async () => {
    const all = await get("/");
    expect(all.text).toContain("3 events");
    expect(all.text).toContain(`href="/stories/${bed.ids.apt40}"`);
    expect(all.text).toContain('href="/actors/APT40"');
    const byActor = await get("/?actor=kryptonite+panda");
    expect(byActor.text).toContain("2 events");
    const target = await get("/?country=nz&role=target&malware=korplug");
    expect(target.text).toContain("1 event");
    expect(target.text).toContain("Hackers hit New Zealand hospitals");
    const search = await get("/?q=fisheries");
    expect(search.text).toContain("1 event");
    expect(search.text).toContain('value="fisheries"');
    const unknown = await get("/?actor=apt4o");
    expect(unknown.text).toMatch(/No actor called &quot;apt4o&quot;\. Did you mean APT40/);
  });

  it("/stories/<id> shows sources, tags with their words, revisions and the delivery log per channel", async () => {
    const { text } = await get(`/stories/${bed.ids.apt40}`);
    expect(text).toContain("APT40 breaches a fisheries ministry");
    expect(text).toMatch(/Actor APT40<\/td><td>matched &quot;APT40&quot;/);
    expect(text).toContain("None: this is the first version.");
    expect(text).toMatch(new RegExp(`${GOOD}</td><td class="status status-delivered">delivered`));
    expect(text).toMatch(
      new RegExp(`${DEAD}</td><td class="status status-failed">failed</td><td>[^<]*Unknown Channel`),
    );
    expect((await get("/stories/abcdef12")).res.status).toBe(404);
  });

  it("/actors/<name> and /countries/<code>: the card, the trend as inline SVG, the latest stories", async () => {
    const actor = await get("/actors/gingham%20typhoon");
    expect(actor.text).toContain("<h1>APT40</h1>");
    expect(actor.text).toContain("Kryptonite Panda");
    expect(actor.text).toContain("G0065");
    expect(actor.text).toMatch(/<svg aria-labelledby="chart-caption" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(actor.text).toContain("APT40: stories per week");
    expect((await get("/actors/apt40?weeks=52")).text).toContain("52 weeks");
    expect((await get("/actors/nobody-at-all")).res.status).toBe(404);
    const nz = await get("/countries/nz");
    expect(nz.text).toContain("Stories where New Zealand is a target");
    expect(nz.text).toContain("Hackers hit New Zealand hospitals");
  });

  it("/channels lists subscriptions with who added them and when, and switched-off ones with the reason", async () => {
    const { text } = await get("/channels");
    expect(text).toContain(`<h2>${GOOD}</h2>`);
    expect(text).toContain("U0ANALYST");
    expect(text).toMatch(/switched off \S+: Unknown Channel \(10003\)/);
  });

  it("/feeds shows each feed's health, its name escaped", async () => {
    const { text } = await get("/feeds");
    expect(text).toContain("Example &lt;b&gt;News&lt;/b&gt;");
    expect(text).toContain("every");
  });
});
