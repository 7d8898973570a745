// Who may change subscriptions from Slack: the adapter's canManageSubscriptions under each configured policy.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config/schema.js";
import { FakeSlack, waitFor } from "./fake-slack.js";
import { ASKER, postSigned, type Running, scriptedHandler, slashCommand, startAdapter } from "./fixtures.js";

let fake: FakeSlack;
let running: Running | undefined;

beforeEach(async () => {
  fake = await FakeSlack.start();
  fake.users.set(ASKER, { id: ASKER });
  fake.users.set("U0ADMIN", { id: "U0ADMIN", is_admin: true });
  fake.users.set("U0OWNER", { id: "U0OWNER", is_owner: true });
  fake.users.set("U0PRIMARY", { id: "U0PRIMARY", is_primary_owner: true });
});

afterEach(async () => {
  const errors = running?.errors ?? [];
  await running?.adapter.stop();
  running = undefined;
  await fake.close();
  expect(errors).toEqual([]);
});

/** Runs `/cyber subscribe country:nz` as `user` and returns what the channel or the user saw. */
async function subscribeAs(config: Partial<Config["slack"]>, user: string) {
  running = await startAdapter(fake, scriptedHandler().handler, "http", config);
  await postSigned(running.eventsUrl, slashCommand(fake, "subscribe country:nz", "sub", user));
  const { body } = await waitFor(() => fake.responses.find((r) => r.id === "sub"), 2000, "subscribe reply");
  return { body, text: JSON.stringify(body.blocks) };
}

describe("subscription permissions in Slack", () => {
  it("refuses a non-admin under the admins policy, privately and saying what is needed", async () => {
    const { body, text } = await subscribeAs({ permissionPolicy: "admins" }, ASKER);
    expect(text).toContain("Not allowed");
    expect(text).toContain("Changing subscriptions needs workspace admin or owner rights.");
    expect(body.response_type).toBe("ephemeral");
    expect(fake.callsTo("users.info").map((c) => c.params.user)).toEqual([ASKER]);
  });

  it.each(["U0ADMIN", "U0OWNER", "U0PRIMARY"])("allows %s under the admins policy", async (user) => {
    const { text } = await subscribeAs({ permissionPolicy: "admins" }, user);
    expect(text).toContain("Subscribed");
  });

  it("refuses, without guessing, when Slack cannot say whether the user is an admin", async () => {
    fake.fail("users.info", { kind: "error", error: "internal_error" });
    const { text } = await subscribeAs({ permissionPolicy: "admins" }, "U0ADMIN");
    expect(text).toContain("Not allowed");
    expect(text).toContain("could not check yours just now");
  });

  it("allows anyone under the everyone policy without asking Slack", async () => {
    const { text } = await subscribeAs({ permissionPolicy: "everyone" }, ASKER);
    expect(text).toContain("Subscribed");
    expect(fake.callsTo("users.info")).toHaveLength(0);
  });

  it("allows listed users under the allowlist policy", async () => {
    const { text } = await subscribeAs({ permissionPolicy: "allowlist", allowList: [ASKER] }, ASKER);
    expect(text).toContain("Subscribed");
    expect(fake.callsTo("users.info")).toHaveLength(0);
  });

  it("refuses others under the allowlist policy, telling them their user id", async () => {
    const { text } = await subscribeAs(
      { permissionPolicy: "allowlist", allowList: ["U0SOMEONE"] },
      "U0ADMIN",
    );
    expect(text).toContain("Not allowed");
    expect(text).toContain("your Slack user id, U0ADMIN, to SLACK_ALLOWLIST");
  });
});
