// How the fetcher connects and how it words a failure: the connect-time lookup (which, for chat feeds, refuses a
// name that resolves to a non-public address on every connection, redirects included) and the one-line reason.

import type { LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import type { Resolve } from "./guard.js";
import { formatMs } from "./http-headers.js";

/** Why an address may not be reached ("a loopback address"), or null when it may. */
export type AddressRule = (address: string) => string | null;

/** A connection the address policy refused; its message is the reason shown to people. */
export class AddressRefusedError extends Error {
  readonly code = "ERR_FEED_ADDRESS_REFUSED";
}

export const PUBLIC_ONLY = "feeds added from chat must be on the public internet";

/**
 * A `lookup` for net/tls connect: resolves the name with `resolve` and, when `rule` is given, refuses the
 * connection if any address it resolves to is refused by the rule (the same strictness as the chat URL check).
 */
export function connectLookup(resolve: Resolve, rule: AddressRule | null): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((addresses) => {
        const found: LookupAddress[] = [];
        for (const address of addresses) {
          const why = rule?.(address);
          if (why) throw new AddressRefusedError(`${hostname} resolves to ${why}; ${PUBLIC_ONLY}`);
          const family = isIP(address);
          if (family !== 0 && (!options.family || options.family === family)) found.push({ address, family });
        }
        const first = found[0];
        if (!first) {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
        }
        if (options.all) callback(null, found);
        else callback(null, first.address, first.family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, ""));
  };
}

interface Context {
  /** host[:port] of the hop that failed. */
  host: string;
  connectTimeoutMs: number;
}

/** zlib and brotli decoding errors ("Z_DATA_ERROR", "ERR__ERROR_FORMAT_PADDING_1", ...). */
const DECODE = /^(Z_|ERR_BROTLI|ERR__ERROR)/;
const TLS = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/;

/** One readable line for an error from fetch or from reading its body, looking through the `cause` chain. */
export function describeFailure(err: unknown, ctx: Context): string {
  const chain: Array<Error & { code?: unknown }> = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
  for (const e of chain) {
    if (e instanceof AddressRefusedError) return e.message;
    const code = typeof e.code === "string" ? e.code : "";
    const hostname = ctx.host.replace(/:\d+$/, "");
    switch (code) {
      case "ENOTFOUND":
      case "EAI_AGAIN":
      case "EAI_NONAME":
      case "EAI_FAIL":
        return `${hostname} does not resolve (${code})`;
      case "ECONNREFUSED":
        return `connection refused by ${ctx.host}`;
      case "ECONNRESET":
      case "EPIPE":
      case "UND_ERR_SOCKET":
        return `${ctx.host} closed the connection before the answer was complete`;
      case "UND_ERR_CONNECT_TIMEOUT":
      case "ETIMEDOUT":
        return `no connection to ${ctx.host} within ${formatMs(ctx.connectTimeoutMs)}`;
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return `${ctx.host} is unreachable (${code})`;
      case "UND_ERR_HEADERS_OVERFLOW":
        return `${ctx.host} sent headers that are too large`;
    }
    if (DECODE.test(code)) return `${ctx.host} sent a compressed body that does not decompress (${code})`;
    if (TLS.test(code)) return `TLS with ${ctx.host} failed: ${oneLine(e.message)}`;
  }
  const deepest = chain.at(-1);
  return deepest ? oneLine(deepest.message) || deepest.name : `fetch failed: ${oneLine(String(err))}`;
}

/** The first line of a message, at most 200 characters. */
export function oneLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0]?.trim() ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
