// A feed's bytes to text: the byte-order mark, then the XML prolog's encoding, then the Content-Type charset, else UTF-8.

/** The text, and which rule chose its encoding (for error messages and tests). */
export interface Decoded {
  text: string;
  encoding: string;
  from: "bom" | "prolog" | "content-type" | "default";
}

const BOMS: Array<{ bytes: number[]; encoding: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: "utf-8" },
  { bytes: [0xfe, 0xff], encoding: "utf-16be" },
  { bytes: [0xff, 0xfe], encoding: "utf-16le" },
];

const PROLOG = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;
const CHARSET = /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]+)"?/i;

/** The encoding a `<?xml ... encoding="..."?>` prolog declares, read as ASCII from the first bytes. */
export function prologEncoding(body: Uint8Array): string | null {
  const head = Buffer.from(body.subarray(0, 512)).toString("latin1");
  return PROLOG.exec(head)?.[1]?.toLowerCase() ?? null;
}

/** The charset parameter of a Content-Type header, lower-cased. */
export function contentTypeCharset(contentType: string | null): string | null {
  if (!contentType) return null;
  return CHARSET.exec(contentType)?.[1]?.toLowerCase() ?? null;
}

/**
 * WHATWG windows-1252 for bytes 0x80-0x9F (what iso-8859-1 and us-ascii labels decode as too). Node 20.18.3 and
 * later decode these bytes as Latin-1 C1 controls (nodejs/node#60888), so curly quotes, dashes and the euro sign
 * would be lost; the C1 characters that decoder leaves are mapped here. A correct decoder leaves none to map.
 */
const WINDOWS_1252_C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decode(decoder: TextDecoder, bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  if (decoder.encoding !== "windows-1252") return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] as string);
}

/** A decoder for a label TextDecoder knows (WHATWG names: iso-8859-1 decodes as windows-1252), else null. */
function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label, { fatal: false });
  } catch {
    return null;
  }
}

/**
 * Decodes a feed body. A BOM wins; then the XML prolog's `encoding` (ignored when it names UTF-16 without a BOM,
 * which cannot be read as ASCII to begin with); then the Content-Type `charset`; else UTF-8. Unknown labels fall
 * through to the next rule. Bytes invalid in the chosen encoding become U+FFFD rather than failing the feed.
 * The BOM is not part of the text.
 */
export function decodeFeedBody(body: Uint8Array, contentType: string | null): Decoded {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => body[i] === b)) {
      const decoder = decoderFor(bom.encoding) as TextDecoder;
      return { text: decode(decoder, body.subarray(bom.bytes.length)), encoding: bom.encoding, from: "bom" };
    }
  }
  const candidates: Array<[string | null, Decoded["from"]]> = [
    [prologEncoding(body), "prolog"],
    [contentTypeCharset(contentType), "content-type"],
  ];
  for (const [label, from] of candidates) {
    if (!label || label.startsWith("utf-16")) continue;
    const decoder = decoderFor(label);
    if (decoder) return { text: decode(decoder, body), encoding: decoder.encoding, from };
  }
  return { text: new TextDecoder("utf-8").decode(body), encoding: "utf-8", from: "default" };
}
