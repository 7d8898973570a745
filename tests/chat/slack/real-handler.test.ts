// Slack with the real command layer and store: lookups answered from ingested stories, subscriptions stored
// only when the configured policy allows the user.

import { describe, expect, it } from "vitest";
import type { CommandHandler } from "../../../src/chat/types.js";
import type { Config } from "../../../src/config/schema.js";
import type { SqliteStoryStore } from "../../../src/store/sqlite/store.js";
import { useFilledStore } from "../../helpers/filled-store.js";
import { TEAM, waitFor } from "./fake-slack.js";
import { ASKER, CHANNEL, postSigned, slashCommand, startAdapter, useSlack } from "./fixtures.js";

let handler: CommandHandler;
let store: SqliteStoryStore;
const ref = `slack:${TEAM}/${CHANNEL}`;

useFilledStore((filled) => ({ handler, store } = filled));
const slack = useSlack({ users: [{ id: ASKER }] });

async function command(config: Partial<Config["slack"]>, text: string, id: string) {
  slack.running ??= await startAdapter(slack.fake, handler, "http", config);
  await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, text, id, ASKER));
  const { body } = await waitFor(() => slack.fake.responses.find((r) => r.id === id), 3000, `reply ${id}`);
  return { body, text: JSON.stringify(body.blocks) };
}

describe("Slack with the real command layer", () => {
  it("answers /cyber kryptonite panda with the APT40 card from the store, privately with a Share button", async () => {
    const { body, text } = await command({}, "kryptonite panda", "q1");
    expect(text).toContain("APT40: 2 stories");
    expect(text).toContain("G0065");
    expect(text).toContain("Share in channel");
    expect(body.response_type).toBe("ephemeral");
  });

  it("refuses a non-admin's subscribe under the admins policy and stores nothing", async () => {
    const { text } = await command({ permissionPolicy: "admins" }, "subscribe country:nz", "s1");
    expect(text).toContain("can't change this channel's subscriptions");
    expect(await store.subscriptions(ref)).toEqual([]);
  });

  it("stores the canonical tag under the everyone policy", async () => {
    const { text } = await command(
      { permissionPolicy: "everyone" },
      'subscribe actor:"gingham typhoon"',
      "s2",
    );
    expect(text).toContain("actor:APT40");
    expect((await store.subscriptions(ref)).map((s) => s.tag)).toEqual(["actor:APT40"]);
  });
});
