// /cyber why through the real command handler on a real store, with articles tagged by the shipped analyser and
// routed by the real routing rule: the words behind each tag, the source, and this channel's delivery state.

import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { routeStory } from "../../src/alerts/routing.js";
import { renderReply as renderConsole } from "../../src/chat/console/render.js";
import { renderReply as renderDiscord } from "../../src/chat/discord/render.js";
import { renderReply as renderSlack } from "../../src/chat/slack/render.js";
import { parseCommand } from "../../src/commands/parse.js";
import { isPrivate } from "../../src/commands/replies.js";
import { sourceLine } from "../../src/commands/why.js";
import type { Reply } from "../../src/core/cards.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, file, ManualClock } from "../alerts/fixtures.js";
import { command, handlerFor } from "../helpers/filled-store.js";
import { analyse } from "../helpers/ingest.js";
import { tempDir } from "../helpers/tmp.js";

const SENT = "slack:T1/CSENT";
const QUEUED = "slack:T1/CQUEUED";
const FAILED = "discord:G1/300";
const ALL = "console:local";
const AU = "slack:T1/CAU";
const NONE = "slack:T1/CNONE";

const CYBER_BODY =
  "New Zealand's GCSB said APT40, a group sponsored by China, used ransomware and phishing against parliament.";
const FILM_BODY = "The sandworm scenes in the desert are the best part of this film; the actors are superb.";

const clock = new ManualClock(Date.parse("2026-03-01T10:00:00Z"));
let store: SqliteStoryStore;
let cyberId = "";
let filmId = "";

async function save(path: string, title: string, body: string): Promise<string> {
  const a = article(path, title, body);
  const out = await store.saveArticle(a, analyse(a), file(path), { onSaved: routeStory });
  return out.storyId;
}

const ask = (text: string, channelRef: string) =>
  handlerFor(store, clock).handle(command(text, { channelRef }));

const field = (r: Reply, label: string) => r.fields.find((f) => f.label === label)?.value ?? "";
const all = (r: Reply) =>
  [r.headline, ...r.text, ...r.fields.map((f) => `${f.label}: ${f.value}`)].join("\n");

/** Claims the channel's pending alert and hands it to `finish` (markSent / markFailed as the dispatcher does). */
async function settle(channelRef: string, finish: (ids: number[]) => Promise<void>) {
  const due = await store.outbox.dueForChannel(channelRef, clock.now(), 10);
  const ids = await store.outbox.claim(
    due.map((d) => d.id),
    clock.now(),
  );
  expect(ids).toHaveLength(1);
  await finish(ids);
}

beforeAll(async () => {
  store = new SqliteStoryStore(join(tempDir(), "cb.db"), { clock });
  await store.subscribe(SENT, "actor:APT40", "ana");
  await store.subscribe(QUEUED, "country:NZ", "ben");
  await store.subscribe(FAILED, "all", "cat");
  await store.subscribe(ALL, "all", "dan");
  await store.subscribe(AU, "country:AU", "eve");
  clock.advance(60_000);
  cyberId = await save("/seeds/apt40.txt", "APT40 hits New Zealand parliament", CYBER_BODY);
  filmId = await save("/seeds/dune.txt", "Dune review", FILM_BODY);
  clock.advance(60_000);
  await settle(SENT, (ids) => store.outbox.markSent(ids, "m1", clock.now()));
  await settle(FAILED, (ids) => store.outbox.markFailed(ids, "channel_not_found"));
  // The console channel's alert of the cyber story goes; the film review never reached it.
  await settle(ALL, (ids) => store.outbox.markSent(ids, "m2", clock.now()));
  return () => store.close();
});

describe("/cyber why", () => {
  it("parses like story: an id, else usage naming why", () => {
    expect(parseCommand("why 3FA9C2D1")).toEqual({ kind: "why", id: "3fa9c2d1" });
    const bad = parseCommand("why this");
    expect(bad).toMatchObject({ kind: "usage", topic: "why" });
    expect(bad.kind === "usage" && bad.problem).toContain("/cyber why 3fa9c2d1");
    expect(parseCommand("why")).toMatchObject({ kind: "usage", topic: "why" });
  });

  it("shows each tag and the cyber signal with the words that triggered them, privately", async () => {
    const r = await ask(`why ${cyberId}`, SENT);
    expect(r.kind).toBe("answer");
    expect(r.private).toBe(true);
    expect(isPrivate(r)).toBe(true);
    expect(field(r, "Actor APT40")).toContain('matched "APT40"');
    expect(all(r)).toMatch(/New Zealand: target; matched "New Zealand/); // its parliament was attacked
    expect(all(r)).toMatch(/China: blamed/);
    expect(field(r, "Cyber signal")).toMatch(/^about hacking: matched .*"ransomware"/);
    expect(field(r, "Source")).toBe("/seeds/apt40.txt, 2024-07-09");
  });

  it("says when the alert was delivered in this channel, and which tags matched", async () => {
    const r = await ask(`why ${cyberId}`, SENT);
    expect(field(r, "This channel")).toBe("alert delivered 2026-03-01 10:02 UTC (matched actor:APT40)");
  });

  it("says an alert still in the outbox is queued", async () => {
    const r = await ask(`why ${cyberId}`, QUEUED);
    expect(field(r, "This channel")).toBe("alert queued since 2026-03-01 10:01 UTC (matched country:NZ)");
  });

  it("says a failed alert failed, with the last error", async () => {
    const r = await ask(`why ${cyberId}`, FAILED);
    expect(field(r, "This channel")).toBe("alert failed after 1 attempt: channel_not_found (matched all)");
  });

  it("says a non-cyber story was filtered for an `all` channel by relevance", async () => {
    const r = await ask(`why ${filmId}`, ALL);
    expect(field(r, "Cyber signal")).toBe(
      "not about hacking: the cyber signal found no actor, CVE or cyber vocabulary",
    );
    expect(field(r, "This channel")).toBe(
      "filtered: not about hacking: the cyber signal found no actor, CVE or cyber vocabulary",
    );
  });

  it("says the story was filtered when none of the channel's subscriptions match its tags", async () => {
    const r = await ask(`why ${cyberId}`, AU);
    expect(field(r, "This channel")).toBe(
      "filtered: none of this channel's subscriptions (country:AU) match its tags (actor:APT40, country:NZ, target:NZ, country:CN, sponsor:CN, sector:government)",
    );
  });

  it("says a channel without subscriptions gets nothing", async () => {
    const r = await ask(`why ${cyberId}`, NONE);
    expect(field(r, "This channel")).toMatch(/^filtered: this channel has no subscriptions/);
  });

  it("says a matching story stored before the channel subscribed was not sent, and why", async () => {
    const late = "slack:T1/CLATE";
    await store.subscribe(late, "actor:APT40", "fay");
    const r = await ask(`why ${cyberId}`, late);
    expect(field(r, "This channel")).toBe(
      "not sent: it matches actor:APT40, but was stored before this channel subscribed",
    );
  });

  it("names a feed source by its feed, and a merged source with why it joined", () => {
    const item = { path: "https://news.example/a", url: "https://news.example/a", source: "The Wire" };
    expect(sourceLine({ ...item, date: "2024-07-09" })).toBe("The Wire: https://news.example/a, 2024-07-09");
    expect(
      sourceLine({ ...item, date: "2024-07-10", why: ["shared tags actor:APT40", "text 0.91 similar"] }),
    ).toBe(
      "The Wire: https://news.example/a, 2024-07-10; merged: shared tags actor:APT40, text 0.91 similar",
    );
  });

  it("answers an unknown id like story does", async () => {
    const r = await ask("why deadbeef", SENT);
    const story = await ask("story deadbeef", SENT);
    expect(r.kind).toBe("empty");
    expect(r.headline).toBe(story.headline);
    expect(r.text).toEqual(story.text);
  });

  it("is rendered by every adapter", async () => {
    const r = await ask(`why ${cyberId}`, AU);
    for (const out of [JSON.stringify(renderSlack(r)), JSON.stringify(renderDiscord(r)), renderConsole(r)]) {
      expect(out).toContain("none of this channel");
      expect(out).toContain("ransomware");
    }
  });

  it("is in help and the README command table", async () => {
    const help = await ask("help", NONE);
    expect(help.fields.map((f) => f.label)).toContain("/cyber why <id>");
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    expect(readme).toMatch(/^\| `\/cyber why <id>` \| .*filtered/m);
  });
});
