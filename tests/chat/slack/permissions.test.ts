// Who may change subscriptions from Slack: the adapter's canManageSubscriptions under each configured policy.

import { describe, expect, it } from "vitest";
import type { Config } from "../../../src/config/schema.js";
import { waitFor } from "./fake-slack.js";
import { ASKER, postSigned, scriptedHandler, slashCommand, startAdapter, useSlack } from "./fixtures.js";

const slack = useSlack({
  users: [
    { id: ASKER },
    { id: "U0ADMIN", is_admin: true },
    { id: "U0OWNER", is_owner: true },
    { id: "U0PRIMARY", is_primary_owner: true },
  ],
});

/** Runs `/cyber subscribe country:nz` as `user` and returns what the channel or the user saw. */
async function subscribeAs(config: Partial<Config["slack"]>, user: string) {
  slack.running = await startAdapter(slack.fake, scriptedHandler().handler, "http", config);
  await postSigned(slack.running.eventsUrl, slashCommand(slack.fake, "subscribe country:nz", "sub", user));
  const { body } = await waitFor(
    () => slack.fake.responses.find((r) => r.id === "sub"),
    2000,
    "subscribe reply",
  );
  return { body, text: JSON.stringify(body.blocks) };
}

describe("subscription permissions in Slack", () => {
  it("refuses a non-admin under the admins policy, privately and saying what is needed", async () => {
    const { body, text } = await subscribeAs({ permissionPolicy: "admins" }, ASKER);
    expect(text).toContain("Not allowed");
    expect(text).toContain("Changing subscriptions needs workspace admin or owner rights.");
    expect(body.response_type).toBe("ephemeral");
    expect(slack.fake.callsTo("users.info").map((c) => c.params.user)).toEqual([ASKER]);
  });

  it.each(["U0ADMIN", "U0OWNER", "U0PRIMARY"])("allows %s under the admins policy", async (user) => {
    const { text } = await subscribeAs({ permissionPolicy: "admins" }, user);
    expect(text).toContain("Subscribed");
  });

  it("refuses, without guessing, when Slack cannot say whether the user is an admin", async () => {
    slack.fake.fail("users.info", { kind: "error", error: "internal_error" });
    const { text } = await subscribeAs({ permissionPolicy: "admins" }, "U0ADMIN");
    expect(text).toContain("Not allowed");
    expect(text).toContain("could not check yours just now");
  });

  it("allows anyone under the everyone policy without asking Slack", async () => {
    const { text } = await subscribeAs({ permissionPolicy: "everyone" }, ASKER);
    expect(text).toContain("Subscribed");
    expect(slack.fake.callsTo("users.info")).toHaveLength(0);
  });

  it("allows listed users under the allowlist policy", async () => {
    const { text } = await subscribeAs({ permissionPolicy: "allowlist", allowList: [ASKER] }, ASKER);
    expect(text).toContain("Subscribed");
    expect(slack.fake.callsTo("users.info")).toHaveLength(0);
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
