// Decoding and normalising raw file bytes: BOM, UTF-8 validity, binary detection, NFC, whitespace.

import { normaliseText } from "../core/text.js";

export type DecodeFailure = { reason: "empty" | "binary" | "invalid-utf8"; detail: string };

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Share of control characters (other than tab, CR, LF, FF) above which text is treated as binary. */
const MAX_CONTROL_RATIO = 0.01;

export function decodeText(buf: Uint8Array): string | DecodeFailure {
  if (buf.length === 0) return { reason: "empty", detail: "the file has no content" };
  const nul = buf.indexOf(0);
  if (nul !== -1) return { reason: "binary", detail: `NUL byte at offset ${nul}` };
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return { reason: "invalid-utf8", detail: `not valid UTF-8 (${describeInvalid(buf)})` };
  }
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 127) controls++;
  }
  if (controls > 0 && controls / text.length > MAX_CONTROL_RATIO) {
    return { reason: "binary", detail: `${controls} control characters in ${text.length}` };
  }
  // Invisible format characters go before anything looks at words (see src/core/text.ts).
  const normal = normaliseText(text);
  if (normal.trim() === "")
    return { reason: "empty", detail: "the file holds only whitespace or invisible characters" };
  return normal;
}

function describeInvalid(buf: Uint8Array): string {
  // Walk the UTF-8 structure once to name the first byte that breaks it.
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] as number;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return `bad byte 0x${b.toString(16)} at offset ${i}`;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) return `truncated sequence at offset ${i}`;
      if ((c & 0xc0) !== 0x80) return `bad sequence at offset ${i}`;
    }
    i += need + 1;
  }
  return "overlong or surrogate sequence";
}
