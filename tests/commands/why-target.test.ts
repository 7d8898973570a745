// /cyber why, /cyber story and /cyber country on a story whose analysis makes a country a target (issue 15).

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/cards.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, file, ManualClock } from "../alerts/fixtures.js";
import { command, handlerFor } from "../helpers/filled-store.js";
import { analyse } from "../helpers/ingest.js";
import { tempDir } from "../helpers/tmp.js";

const BODY =
  "Chinese state-sponsored hackers breached New Zealand's parliament with malware and phishing, the GCSB said.";

const clock = new ManualClock(Date.parse("2026-03-01T10:00:00Z"));
let store: SqliteStoryStore;
let id = "";

beforeAll(async () => {
  store = new SqliteStoryStore(join(tempDir(), "cb.db"), { clock });
  const a = article("/seeds/nz.txt", "Parliament breach", BODY);
  id = (await store.saveArticle(a, analyse(a), file("/seeds/nz.txt"))).storyId;
});
afterAll(() => store.close());

const ask = (text: string) => handlerFor(store, clock).handle(command(text));
const all = (r: Reply) =>
  [
    r.headline,
    ...r.text,
    ...r.fields.map((f) => `${f.label}: ${f.value}`),
    ...r.stories.map((s) => s.note ?? ""),
  ].join("\n");

describe("a target country in replies", () => {
  it("/cyber why says New Zealand is the target and China is blamed, with the words", async () => {
    const r = await ask(`why ${id}`);
    expect(all(r)).toMatch(/New Zealand: target; matched "New Zealand"/);
    expect(all(r)).toMatch(/China: blamed; matched "Chinese"/);
  });

  it("/cyber country nz notes the role as target", async () => {
    const r = await ask("country nz");
    expect(r.stories.map((s) => s.note)).toEqual(["New Zealand: target"]);
    expect(r.stories[0]?.countries.map((c) => [c.code, c.roles])).toEqual([
      ["CN", ["sponsor", "mentioned"]],
      ["NZ", ["target", "mentioned"]],
    ]);
  });
});
