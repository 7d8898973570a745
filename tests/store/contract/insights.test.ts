// Contract: the reads behind trends and the web pages, the same on SQLite and PostgreSQL: events per day for every
// kind of tag and role and for keyword phrases (search's word forms), filtered pages, revisions and channels.

import { expect, it } from "vitest";
import type { Analysis, CountryRole } from "../../../src/core/article.js";
import type { DigestPayload } from "../../../src/store/digests.js";
import type { Page } from "../../../src/store/types.js";
import { analysisOf } from "../../helpers/analysis.js";
import { paragraphArticle as article } from "../../helpers/article.js";
import { digestsOf, insightsOf, rowidOf, run } from "./seams.js";
import { type ContractStore, contract } from "./stores.js";

const actor = (id: string) => ({ id, name: id, attackId: null, sponsor: null, matched: [] });
const country = (code: string, ...roles: CountryRole[]) => ({ code, name: code, roles, matched: [] });

async function save(store: ContractStore, path: string, date: string, body: string, a: Analysis) {
  const out = await store.saveArticle(article(path, body, { date }), a, { path, size: 1, mtimeMs: 1 });
  return out.storyId;
}

/** Tagged stories over a few days; /b's tags are hidden (it joined /a's event), /f is a later story of /a's event. */
async function tagged(store: ContractStore): Promise<void> {
  const apt40 = actor("APT40");
  await save(store, "/a.txt", "2024-03-01", "Port authority network breached by spies.", {
    ...analysisOf({
      summary: "a",
      cyber: true,
      actors: [apt40],
      countries: [country("CN", "sponsor"), country("NZ", "target")],
    }),
    sectors: [{ id: "government", matched: [] }],
    malware: [{ id: "PlugX", name: "PlugX", matched: [] }],
    cves: ["CVE-2024-3400"],
  });
  await save(
    store,
    "/b.txt",
    "2024-03-01",
    "Harbour systems were breached again.",
    analysisOf({ actors: [apt40] }),
  );
  await save(
    store,
    "/c.txt",
    "2024-03-01",
    "Ministry mail servers targeted.",
    analysisOf({ actors: [apt40], countries: [country("NZ", "target")] }),
  );
  await save(
    store,
    "/d.txt",
    "2024-03-03",
    "A telescope array went offline.",
    analysisOf({ actors: [apt40], countries: [country("CN", "sponsor")] }),
  );
  await save(
    store,
    "/e.txt",
    "2024-02-28",
    "Lighthouse keepers were phished.",
    analysisOf({ actors: [apt40] }),
  );
  await save(
    store,
    "/f.txt",
    "2024-03-05",
    "Water utility wiper attack breached controls.",
    analysisOf({ actors: [apt40], countries: [country("NZ")] }),
  );
  const a = await rowidOf(store, "/a.txt");
  const b = await rowidOf(store, "/b.txt");
  await run(store, `UPDATE stories SET event_rowid = ${a} WHERE rowid = ${b}`);
  await run(store, `UPDATE story_tags SET shown = 0, event_rowid = ${a} WHERE story_rowid = ${b}`);
}

const paths = (page: Page) => [page.stories.map((s) => s.path), page.total];

contract("insights", ({ open }) => {
  it("counts events per day for every kind of tag and role, from `from` to the whole of `to`", async () => {
    const store = await open();
    await tagged(store);
    const insights = insightsOf(store);
    const days = async (...args: Parameters<typeof insights.countsByDay>) =>
      (await insights.countsByDay(...args)).map((d) => [d.date, d.count]);
    const march = ["2024-03-01", "2024-03-05"] as const;
    expect(await days({ kind: "actor", id: "APT40" }, ...march)).toEqual([
      ["2024-03-01", 2],
      ["2024-03-03", 1],
      ["2024-03-05", 1],
    ]);
    expect(await days({ kind: "actor", id: "APT40" }, "2024-02-01", "2024-03-02")).toEqual([
      ["2024-02-28", 1],
      ["2024-03-01", 2],
    ]);
    expect(await days({ kind: "country", code: "nz" }, ...march)).toEqual([
      ["2024-03-01", 2],
      ["2024-03-05", 1],
    ]);
    expect(await days({ kind: "country", code: "NZ", role: "target" }, ...march)).toEqual([
      ["2024-03-01", 2],
    ]);
    expect(await days({ kind: "country", code: "CN", role: "sponsor" }, ...march)).toEqual([
      ["2024-03-01", 1],
      ["2024-03-03", 1],
    ]);
    expect(await days({ kind: "country", code: "CN", role: "target" }, ...march)).toEqual([]);
    expect(await days({ kind: "sector", id: "Government" }, ...march)).toEqual([["2024-03-01", 1]]);
    expect(await days({ kind: "malware", id: "PlugX" }, ...march)).toEqual([["2024-03-01", 1]]);
    expect(await days({ kind: "cve", id: "cve-2024-3400" }, ...march)).toEqual([["2024-03-01", 1]]);
    expect(await days({ kind: "actor", id: "APT40" }, "2024-04-01", "2024-04-30")).toEqual([]);
  });

  it("counts keyword phrases per day with search's word forms, an event once on its first matching day", async () => {
    const store = await open();
    const none = analysisOf();
    await save(store, "/k1.txt", "2024-03-01", "Hackers attacked the electoral commission.", none);
    await save(store, "/k2.txt", "2024-03-02", "Electoral Commissions were warned by officials.", none);
    await save(store, "/k3.txt", "2024-03-02", "The commission published electoral rolls.", none);
    await save(store, "/k4.txt", "2024-03-04", "An ELECTORAL COMMISSION's website went dark.", none);
    await save(store, "/k5.txt", "2024-03-09", "The electoral commission reopened.", none);
    const k1 = await rowidOf(store, "/k1.txt");
    await run(
      store,
      `UPDATE stories SET event_rowid = ${k1} WHERE rowid = ${await rowidOf(store, "/k2.txt")}`,
    );
    const insights = insightsOf(store);
    const days = async (phrase: string, from: string, to: string) =>
      (await insights.countsByDay({ kind: "keyword", phrase }, from, to)).map((d) => [d.date, d.count]);
    expect(await days("electoral commission", "2024-03-01", "2024-03-04")).toEqual([
      ["2024-03-01", 1],
      ["2024-03-04", 1],
    ]);
    expect(await days("electoral commission", "2024-03-02", "2024-03-08")).toEqual([
      ["2024-03-02", 1],
      ["2024-03-04", 1],
    ]);
    expect(await days("commission electoral", "2024-03-01", "2024-03-31")).toEqual([]);
    expect(await days("--", "2024-03-01", "2024-03-31")).toEqual([]);
    expect(await days("electoral commission", "2025-01-01", "2025-12-31")).toEqual([]);
  });

  it("pages stories matching every tag and every search word, newest first, with their total", async () => {
    const store = await open();
    await tagged(store);
    const insights = insightsOf(store);
    const apt40 = { kind: "actor", id: "APT40" } as const;
    const nzTarget = { kind: "country", code: "NZ", role: "target" } as const;
    expect(paths(await insights.filtered({ tags: [apt40] }, 10, 0))).toEqual([
      ["/f.txt", "/d.txt", "/c.txt", "/a.txt", "/e.txt"],
      5,
    ]);
    expect(paths(await insights.filtered({ tags: [apt40] }, 2, 1))).toEqual([["/d.txt", "/c.txt"], 5]);
    expect(paths(await insights.filtered({ tags: [apt40, nzTarget] }, 10, 0))).toEqual([
      ["/c.txt", "/a.txt"],
      2,
    ]);
    expect(paths(await insights.filtered({ tags: [apt40], terms: ["breach"] }, 10, 0))).toEqual([
      ["/f.txt", "/a.txt"],
      2,
    ]);
    expect(
      paths(await insights.filtered({ tags: [apt40, nzTarget], terms: ["breached", "spies"] }, 10, 0)),
    ).toEqual([["/a.txt"], 1]);
    expect(paths(await insights.filtered({ tags: [], terms: ["breaches"] }, 2, 0))).toEqual([
      ["/f.txt", "/b.txt"],
      3,
    ]);
    expect(paths(await insights.filtered({ tags: [], terms: ["breaches"] }, 2, 2))).toEqual([["/a.txt"], 3]);
    expect(paths(await insights.filtered({ tags: [] }, 3, 0))).toEqual([["/f.txt", "/d.txt", "/c.txt"], 5]);
    expect(paths(await insights.filtered({ tags: [], terms: ["..."] }, 3, 0))).toEqual([[], 0]);
    expect(paths(await insights.filtered({ tags: [apt40], terms: ["--"] }, 3, 0))).toEqual([[], 0]);
  });

  it("lists a story's earlier revisions newest first", async () => {
    let now = Date.parse("2024-03-01T10:00:00Z");
    const store = await open({ clock: { now: () => (now += 60_000) } });
    const id = await save(store, "/r.txt", "2024-03-01", "First draft of the breach report.", analysisOf());
    await save(store, "/r.txt", "2024-03-01", "Second draft of the breach report.", analysisOf());
    await save(store, "/r.txt", "2024-03-01", "Final breach report.", analysisOf());
    const revisions = await insightsOf(store).revisions(id);
    expect(revisions.map((r) => [r.revision, r.title])).toEqual([
      [2, "Second draft of the breach report"],
      [1, "First draft of the breach report"],
    ]);
    expect(revisions.every((r) => r.savedAt.startsWith("2024-03-01T10:0"))).toBe(true);
    expect(await insightsOf(store).revisions("0000")).toEqual([]);
  });

  it("lists channels with subscriptions, and those with an outbox row for the story", async () => {
    const store = await open();
    await store.subscribe("slack:T1/C1", "actor:APT40", "ana");
    await store.subscribe("discord:G1/C2", "all", "ana", { mode: "daily", at: "08:00" });
    await store.subscribe("slack:T1/C1", "country:NZ", "ana");
    await store.subscribe("slack:T1/C3", "all", "ana");
    await store.unsubscribe("slack:T1/C3", "all", "ana");
    const id = await save(store, "/a.txt", "2024-03-01", "Port authority network breached.", analysisOf());
    const insights = insightsOf(store);
    expect(await insights.channels()).toEqual(["discord:G1/C2", "slack:T1/C1"]);
    expect(await insights.channels(id)).toEqual(["discord:G1/C2", "slack:T1/C1"]);
    const payload = { v: 1, events: [], total: 0 } as unknown as DigestPayload;
    const storyRowid = await rowidOf(store, "/a.txt");
    const digests = digestsOf(store, { now: () => 0 });
    await digests.queueDigest("k", () => ({
      channelRef: "slack:T1/C3",
      platform: "slack",
      tag: "all",
      storyRowid,
      payload,
    }));
    expect(await insights.channels(id)).toEqual(["discord:G1/C2", "slack:T1/C1", "slack:T1/C3"]);
    expect(await insights.channels()).toEqual(["discord:G1/C2", "slack:T1/C1"]);
  });
});
