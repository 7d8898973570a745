// `status` names the folder the stored files came from from the first and last path alone (filePathBounds).

import { describe, expect, it } from "vitest";
import { scannedFolder } from "../../src/cli/status.js";

describe("the scanned folder status shows", () => {
  it("is the seeds folder when both bounds are inside it, else the deepest folder holding both", () => {
    expect(scannedFolder("/srv/seeds", [])).toBe("/srv/seeds");
    expect(scannedFolder("/srv/seeds", ["/srv/seeds/a.txt", "/srv/seeds/z/y.txt"])).toBe("/srv/seeds");
    expect(scannedFolder("/srv/seeds", ["/srv/old/a.txt", "/srv/old/b/c.txt"])).toBe("/srv/old");
    // A shared prefix that stops inside a name is not a folder: /srv/seeds-2 and /srv/seeds share /srv.
    expect(scannedFolder("/x", ["/srv/seeds-2/a.txt", "/srv/seeds/b.txt"])).toBe("/srv");
  });
});
