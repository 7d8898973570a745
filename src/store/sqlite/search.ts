// Turns user words into an FTS5 query in which every word is a quoted literal, so no syntax is interpreted.

/** Each term becomes one quoted FTS5 string ("" escapes a quote); terms are ANDed. Empty when nothing is searchable. */
export function ftsQuery(terms: string[]): string {
  const quoted: string[] = [];
  for (const raw of terms) {
    // unicode61 drops punctuation anyway; keep letters, numbers and inner marks so "U.S." still finds "U.S".
    const term = raw
      .normalize("NFC")
      .replace(/[\p{Cc}\p{Cf}]/gu, "")
      .trim();
    if (!/[\p{L}\p{N}]/u.test(term)) continue;
    quoted.push(`"${term.replace(/"/g, '""')}"`);
  }
  return quoted.slice(0, 16).join(" ");
}
