// The console's own width rule for plain text must give string-width's answer, and hand everything else to it.

import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { displayWidth, plainWidth } from "../../../src/chat/console/text.js";

const PLAIN_RANGES: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0x2ff],
  [0x2010, 0x2027],
  [0x2030, 0x205e],
];

/** Every code point the plain rule measures itself (the soft hyphen excepted: string-width gives it 0). */
function plainCodePoints(): number[] {
  const out: number[] = [];
  for (const [from, to] of PLAIN_RANGES) for (let c = from; c <= to; c++) if (c !== 0xad) out.push(c);
  return out;
}

describe("console text width", () => {
  it("gives string-width's width for every character it measures alone", () => {
    for (const c of plainCodePoints()) {
      const ch = String.fromCodePoint(c);
      expect(plainWidth(ch), `U+${c.toString(16)}`).toBe(stringWidth(ch));
    }
  });

  it("gives string-width's width for flags among plain text", () => {
    for (const text of ["🇳🇿 New Zealand", "🇨🇳🇺🇸 both", "a🇬🇧b — “quoted” · café", "\u00a0🇦🇺\u00a0Australia"]) {
      expect(plainWidth(text), text).toBe(stringWidth(text));
      expect(displayWidth(text), text).toBe(stringWidth(text));
    }
  });

  it("leaves what needs grapheme rules to string-width", () => {
    const hard = [
      "中文报道",
      "e\u0301", // a combining accent
      "👩‍💻 analyst", // a ZWJ sequence
      "🇳🇿🇦", // a flag and a lone regional indicator
      "soft\u00adhyphen",
      "zero\u200bwidth",
      "✅ done",
      "tab\there",
    ];
    for (const text of hard) {
      expect(plainWidth(text), text).toBe(-1);
      expect(displayWidth(text), text).toBe(stringWidth(text));
    }
  });

  it("measures long mixed lines the same way string-width does", () => {
    const alphabet = [...plainCodePoints().map((c) => String.fromCodePoint(c)), "🇳🇿", "🇯🇵"];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 200; n++) {
      let text = "";
      for (let k = 0; k < 1 + (next() % 60); k++) text += alphabet[next() % alphabet.length];
      expect(plainWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
    }
  });
});
