// Who gets an alert: the story's tag keys, made with the one tag-key format, and the channels they reach.

import { describe, expect, it } from "vitest";
import { storyTagKeys } from "../../src/alerts/routing.js";
import { formatTagList, parseTagList, tagKey } from "../../src/core/tags.js";
import { deliveries, openStore, save, tags } from "./fixtures.js";

describe("tag keys", () => {
  it("have one format: actor ids as they are, country codes upper-case, and 'all'", () => {
    expect(tagKey({ kind: "actor", id: "APT40" })).toBe("actor:APT40");
    expect(tagKey({ kind: "country", code: "nz" })).toBe("country:NZ");
    expect(tagKey({ kind: "sponsor", code: "cn" })).toBe("sponsor:CN");
    expect(tagKey({ kind: "all" })).toBe("all");
  });

  it("are listed sorted and once, and read back from that list", () => {
    const list = formatTagList(["country:NZ", "actor:APT40", "all", "country:NZ"]);
    expect(list).toBe("actor:APT40, all, country:NZ");
    expect(parseTagList(list)).toEqual(["actor:APT40", "all", "country:NZ"]);
    expect(formatTagList(["sponsor:CN"])).toBe("sponsor:CN");
    expect(parseTagList("")).toEqual([]);
  });
});

describe("a story's keys", () => {
  it("are 'all', its actors, its countries in any role and the countries it blames", () => {
    const story = tags(["APT40", "APT31"], {
      nz: ["mentioned"],
      CN: ["sponsor", "mentioned"],
      AU: ["mentioned"],
    });
    expect(storyTagKeys(story).sort()).toEqual(
      ["actor:APT31", "actor:APT40", "all", "country:AU", "country:CN", "country:NZ", "sponsor:CN"].sort(),
    );
  });

  it("match subscriptions made with the same format, whatever the case of the story's country code", async () => {
    const store = openStore();
    await store.subscribe("slack:T1/C1", tagKey({ kind: "country", code: "nz" }), "ana");
    await store.subscribe("slack:T1/C2", tagKey({ kind: "sponsor", code: "cn" }), "ben");
    await save(store, "/a.txt", "Lower-case codes", tags([], { nz: ["mentioned"], cn: ["sponsor"] }));
    expect(deliveries(store).map((d) => [d.channel_ref, d.platform, d.tags])).toEqual([
      ["slack:T1/C1", "slack", "country:NZ"],
      ["slack:T1/C2", "slack", "sponsor:CN"],
    ]);
    await store.close();
  });
});
