// The connect-time lookup (what net.connect gets, and what it refuses) and the one-line wording of failures that
// the fixture server cannot provoke on 127.0.0.1 (TLS, unreachable hosts, connect timeouts).

import type { LookupAddress, LookupOptions } from "node:dns";
import { describe, expect, it } from "vitest";
import { AddressRefusedError, connectLookup, describeFailure, oneLine } from "../../src/feeds/connect.js";
import { blockedAddress } from "../../src/feeds/guard.js";

type Answer = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function lookup(table: Record<string, string[]>, strict: boolean, host: string, options: LookupOptions) {
  const fn = connectLookup(async (name) => table[name] ?? [], strict ? blockedAddress : null);
  return new Promise<Answer>((resolve) =>
    fn(host, options, (err, address, family) => resolve({ err, address, family })),
  );
}

describe("connectLookup", () => {
  const table = { "news.example": ["2606:4700::1", "93.184.216.34"], "intranet.example": ["10.0.0.5"] };

  it("gives every address when asked for all (what autoSelectFamily asks for)", async () => {
    expect(await lookup(table, true, "news.example", { all: true })).toEqual({
      err: null,
      address: [
        { address: "2606:4700::1", family: 6 },
        { address: "93.184.216.34", family: 4 },
      ],
      family: undefined,
    });
  });

  it("gives the first address of the family asked for otherwise", async () => {
    expect(await lookup(table, true, "news.example", { family: 4 })).toMatchObject({
      address: "93.184.216.34",
      family: 4,
    });
  });

  it("refuses a name resolving to a private address when checking, and allows it when not", async () => {
    const refused = await lookup(table, true, "intranet.example", { all: true });
    expect(refused.err).toBeInstanceOf(AddressRefusedError);
    expect(refused.err?.message).toBe(
      "intranet.example resolves to a private address; feeds added from chat must be on the public internet",
    );
    expect((await lookup(table, false, "intranet.example", { all: true })).err).toBeNull();
  });

  it("fails as ENOTFOUND when the name has no address", async () => {
    expect((await lookup(table, false, "nowhere.example", {})).err?.code).toBe("ENOTFOUND");
  });
});

describe("describeFailure", () => {
  const ctx = { host: "news.example:443", connectTimeoutMs: 10_000 };
  /** What undici's fetch rejects with: a TypeError whose cause is the socket's error. */
  const fetchFailed = (code: string, message = `some ${code} error`) =>
    new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });

  it.each([
    ["ECONNREFUSED", "connection refused by news.example:443"],
    ["ENOTFOUND", "news.example does not resolve (ENOTFOUND)"],
    ["EAI_AGAIN", "news.example does not resolve (EAI_AGAIN)"],
    ["UND_ERR_CONNECT_TIMEOUT", "no connection to news.example:443 within 10 s"],
    ["ECONNRESET", "news.example:443 closed the connection before the answer was complete"],
    ["UND_ERR_SOCKET", "news.example:443 closed the connection before the answer was complete"],
    ["EHOSTUNREACH", "news.example:443 is unreachable (EHOSTUNREACH)"],
    ["Z_DATA_ERROR", "news.example:443 sent a compressed body that does not decompress (Z_DATA_ERROR)"],
  ])("%s reads as one line", (code, line) => {
    expect(describeFailure(fetchFailed(code), ctx)).toBe(line);
  });

  it("names a TLS failure with its message", () => {
    const err = fetchFailed("CERT_HAS_EXPIRED", "certificate has expired");
    expect(describeFailure(err, ctx)).toBe("TLS with news.example:443 failed: certificate has expired");
    const self = fetchFailed("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate");
    expect(describeFailure(self, ctx)).toBe("TLS with news.example:443 failed: self-signed certificate");
  });

  it("gives a refused address its own message", () => {
    const err = new TypeError("fetch failed", {
      cause: new AddressRefusedError("x resolves to a loopback address"),
    });
    expect(describeFailure(err, ctx)).toBe("x resolves to a loopback address");
  });

  it("falls back to the deepest message, on one line", () => {
    const err = new TypeError("fetch failed", { cause: new Error("something odd\nwith a second line") });
    expect(describeFailure(err, ctx)).toBe("something odd");
    expect(oneLine("x".repeat(300))).toHaveLength(200);
  });
});
