// The digest commands through the real parser, handler and store: subscribe daily/weekly [HH:MM], usage errors,
// switching back to the stream, the listing with the zone, and `/cyber why` for a digest channel.

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/alerts/digest-schedule.js";
import { parseCommand } from "../../src/commands/parse.js";
import type { Reply } from "../../src/core/cards.js";
import { silentLogger } from "../../src/log/logger.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { ManualClock, save, tags } from "../alerts/fixtures.js";
import { command, handlerFor } from "../helpers/filled-store.js";
import { tempDir } from "../helpers/tmp.js";

const CH = "slack:T1/CDIGEST";
const ZONE = "Europe/Berlin";
const clock = new ManualClock(Date.parse("2026-12-01T09:00:00Z"));
let store: SqliteStoryStore;

const handler = () => handlerFor(store, clock, ZONE);
const ask = (text: string, channelRef = CH) => handler().handle(command(text, { channelRef }));
const field = (r: Reply, label: string) => r.fields.find((f) => f.label === label)?.value ?? "";

beforeAll(() => {
  store = new SqliteStoryStore(join(tempDir(), "cb.db"), { clock });
});
afterAll(() => store.close());

describe("parsing /cyber subscribe with a digest", () => {
  it("takes daily or weekly and an optional HH:MM after the tag (08:00 by default)", () => {
    expect(parseCommand("subscribe country:nz daily")).toEqual({
      kind: "subscribe",
      tag: { kind: "country", value: "nz" },
      digest: { mode: "daily", at: "08:00" },
    });
    expect(parseCommand("subscribe country:nz weekly 7:30")).toMatchObject({
      digest: { mode: "weekly", at: "07:30" },
    });
    expect(parseCommand("/cyber subscribe new zealand DAILY 18:45")).toEqual({
      kind: "subscribe",
      tag: { kind: "any", value: "new zealand" },
      digest: { mode: "daily", at: "18:45" },
    });
    expect(parseCommand("subscribe all weekly")).toMatchObject({
      tag: { kind: "all" },
      digest: { mode: "weekly" },
    });
    // Without a schedule (or with `stream`) it is the stream, as before.
    expect(parseCommand("subscribe country:nz")).toEqual({
      kind: "subscribe",
      tag: { kind: "country", value: "nz" },
    });
    expect(parseCommand("subscribe country:nz stream")).toEqual({
      kind: "subscribe",
      tag: { kind: "country", value: "nz" },
    });
    // Unsubscribing names the tag; schedule words after it are dropped.
    expect(parseCommand("unsubscribe country:nz daily")).toEqual({
      kind: "unsubscribe",
      tag: { kind: "country", value: "nz" },
    });
  });

  it("answers a bad time with one line saying how to write it", () => {
    for (const text of [
      "subscribe country:nz daily 25:00",
      "subscribe country:nz daily 8am",
      "subscribe nz weekly 08:60",
    ]) {
      const intent = parseCommand(text);
      expect(intent).toMatchObject({ kind: "usage", topic: "subscribe" });
      const problem = intent.kind === "usage" ? intent.problem : "";
      expect(problem).toMatch(/is not a time: use HH:MM on a 24-hour clock \(00:00 to 23:59\)/);
      expect(problem).toContain("/cyber subscribe country:nz daily 08:00");
      expect(problem).not.toContain("\n");
    }
    expect(parseCommand("subscribe country:nz 08:00")).toMatchObject({
      kind: "usage",
      problem: "A time goes with daily or weekly, e.g. /cyber subscribe country:nz daily 08:00",
    });
    expect(parseCommand("subscribe daily")).toMatchObject({ kind: "usage" });
  });
});

describe("digest subscriptions in chat", () => {
  it("subscribes with a digest, lists it with the zone, switches back to the stream", async () => {
    const r = await ask("subscribe country:nz daily 08:00");
    expect(r.headline).toBe(
      "Subscribed this channel to country:NZ (🇳🇿 New Zealand, mentioned, blamed or attacked) as a daily digest at 08:00 Europe/Berlin",
    );
    expect(r.text[0]).toMatch(
      /^One message daily at 08:00 Europe\/Berlin will list the stories of the day before it/,
    );
    expect(field(await ask("subscriptions"), "country:NZ")).toMatch(
      /^daily at 08:00 Europe\/Berlin; since 2026-12-01 by /,
    );

    const again = await ask("subscribe country:nz daily");
    expect(again.headline).toMatch(
      /^This channel is already subscribed to country:NZ .* as a daily digest at 08:00 Europe\/Berlin$/,
    );

    const weekly = await ask("subscribe nz weekly 07:30");
    expect(weekly.headline).toMatch(
      /now gets country:NZ .* as a weekly digest on Mondays at 07:30 Europe\/Berlin$/,
    );
    expect(weekly.text[0]).toBe("It was: a daily digest at 08:00 Europe/Berlin.");
    expect(field(await ask("subscriptions"), "country:NZ")).toMatch(
      /^weekly on Mondays at 07:30 Europe\/Berlin; /,
    );

    const stream = await ask("subscribe country:nz");
    expect(stream.headline).toMatch(/now gets country:NZ .* as a stream$/);
    expect(field(await ask("subscriptions"), "country:NZ")).toMatch(/^stream; since /);
  });

  it("why: a story for a digest channel goes in the next digest, then names the digest it went in", async () => {
    const ch = "slack:T1/CWHY";
    clock.t = Date.parse("2026-12-01T09:00:00Z");
    await ask("subscribe country:nz daily 08:00", ch);
    clock.t = Date.parse("2026-12-01T10:00:00Z");
    const { storyId } = await save(store, "/nz.txt", "NZ story", tags(["APT40"], { NZ: ["mentioned"] }));
    const before = await ask(`why ${storyId}`, ch);
    expect(field(before, "This channel")).toBe(
      "filtered (digest): goes in the daily digest at 08:00 Europe/Berlin (1 Dec 08:00 – 2 Dec 2026 08:00 Europe/Berlin; matched country:NZ)",
    );
    // 08:00 in Berlin is 07:00 UTC in December.
    clock.t = Date.parse("2026-12-02T07:00:30Z");
    const scheduler = new DigestScheduler({ store: store.digests, zone: ZONE, log: silentLogger(), clock });
    expect((await scheduler.tick()).queued).toBeGreaterThanOrEqual(1);
    const after = await ask(`why ${storyId}`, ch);
    expect(field(after, "This channel")).toBe(
      "in the daily digest of 1 Dec 08:00 – 2 Dec 2026 08:00 Europe/Berlin: queued since 2026-12-02 07:00 UTC (matched country:NZ)",
    );
  });
});
