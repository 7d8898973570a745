// An analysis built by hand for store and command tests: nothing tagged unless the test says so.

import type { Analysis } from "../../src/core/article.js";

/** `fields` over an analysis with no tags, no cyber signal and an empty summary. */
export function analysisOf(fields: Partial<Analysis> = {}): Analysis {
  return {
    summary: "",
    actors: [],
    countries: [],
    cyber: false,
    cyberEvidence: [],
    cves: [],
    sectors: [],
    malware: [],
    ...fields,
  };
}
