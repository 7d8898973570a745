// Which addresses a feed URL typed in chat may reach: http(s) only, and never loopback, private, link-local
// (cloud metadata), shared, multicast or unspecified addresses. Checked on the name here and again on every
// connection the fetcher opens (redirects included), so a name that resolves differently later is still caught.

import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { UrlCheck } from "../core/feeds.js";

const V4: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "an unspecified address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a shared (carrier-grade NAT) address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local (cloud metadata) address"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "a reserved address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
];
const V6: Array<[string, number, string]> = [
  ["::", 128, "an unspecified address"],
  ["::1", 128, "a loopback address"],
  ["fc00::", 7, "a private address"],
  ["fe80::", 10, "a link-local address"],
  ["ff00::", 8, "a multicast address"],
  ["64:ff9b::", 96, "a translated address"],
  ["2001:db8::", 32, "a documentation address"],
];

const lists = new Map<string, BlockList>();
for (const [net, prefix, label] of V4) {
  const list = lists.get(label) ?? new BlockList();
  list.addSubnet(net, prefix, "ipv4");
  // The same range written as an IPv4-mapped IPv6 address (::ffff:127.0.0.1).
  list.addSubnet(`::ffff:${net}`, 96 + prefix, "ipv6");
  lists.set(label, list);
}
for (const [net, prefix, label] of V6) {
  const list = lists.get(label) ?? new BlockList();
  list.addSubnet(net, prefix, "ipv6");
  lists.set(label, list);
}

/** Why an address may not be reached from a chat-added feed ("a loopback address"), or null when it may. */
export function blockedAddress(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  for (const [label, list] of lists) {
    if (list.check(address, family === 4 ? "ipv4" : "ipv6")) return label;
  }
  return null;
}

/** The host of a URL as an IP literal (brackets of IPv6 removed), or null when it is a name. */
export function literalHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return isIP(host) === 0 ? null : host;
}

export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The chat rule for a feed URL: null when allowed, else one line saying why not. Every address the name resolves
 * to must be public (a name with one private address among public ones is refused).
 */
export function publicUrlCheck(resolve: Resolve = systemResolve): UrlCheck {
  return async (text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return "that is not a URL; give the feed's full address, e.g. https://example.com/feed.xml";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return `only http and https feeds can be added, not ${url.protocol.replace(/:$/, "")}`;
    }
    if (url.username || url.password)
      return "feed URLs with a user name or password cannot be added from chat";
    const literal = literalHost(url);
    if (literal) {
      const why = blockedAddress(literal);
      return why ? `${url.hostname} is ${why}; feeds added from chat must be on the public internet` : null;
    }
    let addresses: string[];
    try {
      addresses = await resolve(url.hostname);
    } catch {
      return `${url.hostname} does not resolve; check the address`;
    }
    if (addresses.length === 0) return `${url.hostname} does not resolve; check the address`;
    for (const address of addresses) {
      const why = blockedAddress(address);
      if (why)
        return `${url.hostname} resolves to ${why}; feeds added from chat must be on the public internet`;
    }
    return null;
  };
}
