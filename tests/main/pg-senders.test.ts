// One sender per platform on PostgreSQL (main/senders.ts): of several replicas, only the leader of
// "sender:<platform>" counts the platform as connected for its dispatcher; another takes over when it stops. The
// console, no shared bot, sends on every replica.

import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/log/logger.js";
import { type Senders, senders } from "../../src/main/senders.js";
import { openStores, type Stores } from "../../src/main/stores.js";
import { FakeAdapter } from "../helpers/fake-adapter.js";
import { describePg, freshDatabase } from "../helpers/pg.js";
import { waitFor } from "../helpers/tmp.js";

const opened: Array<{ stores: Stores; sending: Senders }> = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.sending.stop();
    await o.stores.close();
  }
});

async function replica(url: string, holder: string) {
  const config = loadConfig({ env: { CYBERBRIEF_DATABASE_URL: url }, cwd: process.cwd() });
  const stores = await openStores(config);
  if (!stores.pg) throw new Error("expected the PostgreSQL store");
  const pg = { ...stores.pg, holder };
  const adapters = [new FakeAdapter("discord"), new FakeAdapter("console")];
  const sending = await senders(adapters, pg, silentLogger(), 100);
  let changes = 0;
  await sending.start(() => {
    changes++;
  });
  opened.push({ stores, sending });
  const connected = (platform: "discord" | "console") =>
    sending.adapters.get(platform)?.isConnected() === true;
  return { sending, connected, changes: () => changes };
}

describePg("one sender per platform", () => {
  it("only one of three replicas sends Discord's alerts, another takes over when it stops; all print the console's", async () => {
    const url = await freshDatabase();
    const replicas = [await replica(url, "a:1"), await replica(url, "b:2"), await replica(url, "c:3")];
    const senders = () => replicas.filter((r) => r.connected("discord"));
    expect(senders()).toHaveLength(1);
    expect(replicas.every((r) => r.connected("console"))).toBe(true);
    const first = senders()[0];
    expect(first?.changes()).toBe(1);
    await first?.sending.stop();
    await waitFor(() => senders().length === 1 && senders()[0] !== first, 15_000, "a new Discord sender");
    expect(replicas.filter((r) => r !== first && r.changes() > 0)).toHaveLength(1);
  });
});
