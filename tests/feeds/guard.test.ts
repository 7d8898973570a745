// The chat rule for feed URLs: http(s) only, and no name or literal that reaches a non-public address.

import { describe, expect, it } from "vitest";
import { blockedAddress, publicUrlCheck } from "../../src/feeds/guard.js";

describe("blockedAddress", () => {
  it.each([
    ["127.0.0.1", "a loopback address"],
    ["::1", "a loopback address"],
    ["::ffff:127.0.0.1", "a loopback address"],
    ["169.254.169.254", "a link-local (cloud metadata) address"],
    ["10.1.2.3", "a private address"],
    ["192.168.1.1", "a private address"],
    ["172.31.0.1", "a private address"],
    ["fd00::1", "a private address"],
    ["fe80::1", "a link-local address"],
    ["0.0.0.0", "an unspecified address"],
    ["100.64.0.1", "a shared (carrier-grade NAT) address"],
  ])("refuses %s as %s", (address, why) => {
    expect(blockedAddress(address)).toBe(why);
  });

  it.each(["8.8.8.8", "1.1.1.1", "2606:4700::1", "172.32.0.1"])("allows the public address %s", (address) => {
    expect(blockedAddress(address)).toBeNull();
  });
});

describe("publicUrlCheck", () => {
  const table: Record<string, string[]> = {
    "news.example": ["93.184.216.34"],
    "sneaky.example": ["93.184.216.34", "10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
  };
  const check = publicUrlCheck(async (host) => {
    const found = table[host];
    if (!found) throw new Error("ENOTFOUND");
    return found;
  });

  it("allows an https feed on a public name", async () => {
    expect(await check("https://news.example/feed.xml")).toBeNull();
  });

  it.each([
    ["file:///etc/passwd", /only http and https/],
    ["gopher://news.example/", /only http and https/],
    ["not a url", /not a URL/],
    ["http://127.0.0.1:8080/feed", /loopback/],
    ["http://127.1/feed", /loopback/],
    ["http://0x7f000001/feed", /loopback/],
    ["http://2130706433/feed", /loopback/],
    ["http://[::1]/feed", /loopback/],
    ["http://[::ffff:169.254.169.254]/latest/meta-data", /link-local/],
    ["http://metadata.example/", /resolves to a link-local/],
    ["http://sneaky.example/feed", /resolves to a private address/],
    ["http://nowhere.example/feed", /does not resolve/],
    ["http://user:pw@news.example/feed", /user name or password/],
  ])("refuses %s", async (url, why) => {
    expect(await check(url)).toMatch(why);
  });

  it("refuses localhost through the system resolver", async () => {
    expect(await publicUrlCheck()("http://localhost:1/feed")).toMatch(/loopback/);
  });
});
