// A child `cyberbrief run` is killed with SIGKILL while the fake Slack holds its digest's chat.postMessage;
// restarted, it must leave exactly one digest in the channel (found in the history, or posted once).

import { describe, expect, it } from "vitest";
import { digestKey, latestPeriod } from "../../src/core/digest.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { ManualClock, save, tags } from "../alerts/fixtures.js";
import { TEAM } from "../chat/slack/fake-slack.js";
import { startCli } from "../helpers/cli.js";
import { slackRun } from "../helpers/slack-run.js";
import { waitFor } from "../helpers/tmp.js";

const CHANNEL = "C0DIGEST";
const REF = `slack:${TEAM}/${CHANNEL}`;
const HOUR = 3_600_000;

/**
 * The child has no injected clock: its first tick on start catches up with the latest period. So the digest
 * subscription (taken three days ago) is due at the minute six hours before now, and the stories were stored
 * twelve hours before that, inside the period that ended then; nothing else is in the database.
 */
async function prepare(db: string) {
  const now = Date.now();
  const due = new Date(now - 6 * HOUR);
  const at = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
  const clock = new ManualClock(now - 72 * HOUR);
  const store = new SqliteStoryStore(db, { clock });
  try {
    await store.subscribe(REF, "country:NZ", "U0ADMIN", { mode: "daily", at });
    clock.t = now - 18 * HOUR;
    for (const n of [1, 2, 3])
      await save(store, `/nz${n}.txt`, `NZ story ${n}`, tags([], { NZ: ["mentioned"] }));
  } finally {
    await store.close();
  }
  const period = latestPeriod(now, { mode: "daily", at }, "UTC");
  return digestKey(REF, "country:NZ", "daily", period.id);
}

function digestRow(db: string) {
  const store = new SqliteStoryStore(db, { readonly: true });
  try {
    return store.db
      .prepare("SELECT status, message_id AS messageId FROM deliveries WHERE kind = 'digest'")
      .all() as Array<{
      status: string;
      messageId: string | null;
    }>;
  } finally {
    void store.close();
  }
}

async function killDuringDigest(how: "hold" | "hang") {
  const { fake, env, args, db } = await slackRun([], {
    write: () => undefined,
    env: { CYBERBRIEF_TZ: "UTC" },
  });
  const key = await prepare(db);
  fake.fail("chat.postMessage", { kind: how });
  const first = startCli(args, { env });
  await waitFor(() => fake.callsTo("chat.postMessage").length >= 1, 20_000, "the digest's post");
  first.child.kill("SIGKILL");
  await first.exited;
  expect(digestRow(db)).toEqual([{ status: "sending", messageId: null }]);

  const second = startCli(args, { env });
  try {
    await waitFor(() => digestRow(db)[0]?.status === "sent", 30_000, "the digest recorded as sent");
  } finally {
    second.child.kill("SIGTERM");
  }
  expect(await second.exited).toBe(0);
  const inChannel = [...fake.messages.entries()].filter(
    ([, m]) => (m.metadata?.event_payload as { key?: string } | undefined)?.key === key,
  );
  expect(inChannel).toHaveLength(1);
  expect(digestRow(db)).toEqual([{ status: "sent", messageId: inChannel[0]?.[0] }]);
  return fake;
}

describe("crash safety of digests", () => {
  it("SIGKILL after Slack posted the digest but before it answered: found in the history, not posted again", async () => {
    const fake = await killDuringDigest("hold");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.callsTo("conversations.history").length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("SIGKILL before Slack posted it: not in the history, so posted once by the restarted bot", async () => {
    const fake = await killDuringDigest("hang");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
    expect(fake.messages.size).toBe(1);
  }, 60_000);
});
