// Text from files and users made safe for a terminal: control characters shown as escapes, never obeyed.

/** C0 and C1 controls, DEL, and the Unicode marks that reorder or hide text (bidi overrides, zero widths). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const escaped = (c: string): string => {
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** One printable line: every control character becomes a visible escape such as \x1b. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped);
}
