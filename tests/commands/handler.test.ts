import { describe, expect, it } from "vitest";
import type { CommandHandler } from "../../src/chat/types.js";
import { command, useFilledStore } from "../helpers/filled-store.js";

let handler: CommandHandler;
const ask = (text: string, opts = {}) => handler.handle(command(text, opts));

useFilledStore((filled) => {
  expect(filled.report.new).toBe(5);
  handler = filled.handler;
});

describe("answers from a store filled by real ingest", () => {
  it.each([
    "apt40",
    "APT 40",
    "APT-40",
    "kryptonite panda",
    "Gingham Typhoon",
    "actor leviathan",
    "actor:apt40",
  ])("%s gives the APT40 card and its stories, newest first", async (text) => {
    const reply = await ask(text);
    expect(reply.kind).toBe("answer");
    expect(reply.headline).toMatch(/^APT40: 2 stories/);
    const fields = Object.fromEntries(reply.fields.map((f) => [f.label, f.value]));
    expect(fields["MITRE ATT&CK"]).toBe("G0065");
    expect(fields["Suspected sponsor"]).toContain("China");
    expect(fields.Stories).toBe("2");
    expect(reply.stories.map((s) => s.date)).toEqual(["2024-07-08", "2024-03-25"]);
  });

  it("a country by demonym lists its stories with its role in each", async () => {
    const reply = await ask("chinese");
    expect(reply.headline).toContain("China");
    expect(reply.stories.length).toBeGreaterThanOrEqual(3);
    for (const s of reply.stories) expect(s.note).toBe("China: blamed");
  });

  it("a country by code: its role in each story, never blamed (a co-signer is mentioned, the seed's NZ a target)", async () => {
    const reply = await ask("nz");
    expect(reply.stories.map((s) => s.note)).toEqual(["New Zealand: mentioned", "New Zealand: target"]);
  });

  it("sponsor lists only the stories that blame the country", async () => {
    const reply = await ask("sponsor russia");
    expect(reply.stories.map((s) => s.title)).toEqual(["Cozy Bear phishing wave hits European ministries"]);
  });

  it("search matches word forms (breached finds breach)", async () => {
    const reply = await ask("search breach parliament");
    expect(reply.stories.map((s) => s.title)).toContain("Espionage probe at the Finnish parliament");
  });

  it("words that name nothing fall through to full-text search", async () => {
    const reply = await ask("parliament espionage");
    expect(reply.kind).toBe("answer");
    expect(reply.headline).toBe("Search parliament espionage: 1 story");
    expect(reply.stories[0]?.title).toBe("Espionage probe at the Finnish parliament");
  });

  it("search treats FTS operators as text", async () => {
    for (const q of [
      "search *",
      "search NEAR(a b)",
      "search OR",
      "search -x",
      "search a:b",
      'search "a" OR "b"',
      "search ) ( ^",
    ]) {
      const reply = await ask(q);
      expect(["answer", "empty"]).toContain(reply.kind);
    }
    expect((await ask("search OR")).headline).toBe("No stories match OR");
    expect((await ask('search "')).kind).toBe("usage");
  });

  it("story shows every tag with the words that triggered it, and the source", async () => {
    const id = (await ask("apt40")).stories[0]?.id as string;
    const reply = await ask(`story ${id}`);
    expect(reply.headline).toBe("Advisory names APT40 tradecraft against Australian networks");
    const labels = reply.fields.map((f) => `${f.label}: ${f.value}`).join("\n");
    expect(labels).toMatch(/Actor APT40: matched "APT40", "Gingham Typhoon"/);
    expect(labels).toContain("Source:");
  });

  it("latest lists the newest five with a hint when there are more", async () => {
    const reply = await ask("latest 2");
    expect(reply.stories.map((s) => s.date)).toEqual(["2024-07-20", "2024-07-08"]);
    expect(reply.footer).toBe("Showing 1–2 of 5. Older: /cyber latest 2 page 2");
    const page2 = await ask("latest 2 page 2");
    expect(page2.stories.map((s) => s.date)).toEqual(["2024-06-11", "2024-05-02"]);
  });

  it("an unknown actor gets a did-you-mean", async () => {
    const reply = await ask("apt4o");
    expect(reply.kind).toBe("empty");
    expect(reply.text.join(" ")).toContain("Did you mean APT40");
    expect((await ask("actor kryptonit panda")).text.join(" ")).toContain("APT40");
  });

  it("an empty result says what it looked for and what to try", async () => {
    const reply = await ask("search zeppelin");
    expect(reply).toMatchObject({ kind: "empty", headline: "No stories match zeppelin" });
    expect(reply.text.join(" ")).toMatch(/Try/);
    const none = await ask("country:tuvalu");
    expect(none.headline).toContain("Tuvalu");
    expect(none.text.join(" ")).toMatch(/No stories about Tuvalu yet/);
  });

  it("mistakes get usage help, privately", async () => {
    const reply = await ask("latest lots");
    expect(reply).toMatchObject({ kind: "usage", private: true });
    expect(reply.fields.length).toBeGreaterThan(5);
  });
});

describe("subscriptions through the command layer", () => {
  it("subscribe resolves aliases to the canonical tag and shows the latest matches", async () => {
    const ref = { channelRef: "slack:T1/C1" };
    const reply = await ask('subscribe actor:"kryptonite panda"', ref);
    expect(reply.headline).toBe("Subscribed this channel to actor:APT40 (APT40)");
    expect(reply.stories).toHaveLength(2);
    expect((await ask("subscribe apt40", ref)).headline).toMatch(/already subscribed/);
    const list = await ask("subscriptions", ref);
    expect(list.fields.map((f) => f.label)).toEqual(["actor:APT40"]);
    expect((await ask("unsubscribe leviathan", ref)).headline).toMatch(/^Unsubscribed/);
    expect((await ask("subscriptions", ref)).kind).toBe("empty");
  });

  it("refuses politely without permission and says what is needed", async () => {
    const reply = await ask("subscribe country:nz", { channelRef: "discord:G1/C9", allowed: false });
    expect(reply.kind).toBe("refused");
    expect(reply.text.join(" ")).toContain("Manage Channels");
    expect((await ask("subscriptions", { channelRef: "discord:G1/C9" })).kind).toBe("empty");
  });

  it("sponsor and country tags are stored by code", async () => {
    const ref = { channelRef: "slack:T1/C2" };
    expect((await ask("subscribe sponsor:china", ref)).headline).toContain("sponsor:CN");
    expect((await ask('subscribe country:"new zealand"', ref)).headline).toContain("country:NZ");
    expect((await ask("subscribe nowhereland", ref)).kind).toBe("usage");
  });
});
