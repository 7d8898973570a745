// `cyberbrief export`: every stored event as one JSON object per line (JSON lines), oldest first, streamed.

import type { Config } from "../config/schema.js";
import { CyberbriefError } from "../core/errors.js";
import { openStoryReader } from "../main.js";
import type { ExportedEvent } from "../store/types.js";
import { tagsJson } from "./analyze.js";
import { requireDatabase } from "./options.js";
import { printable } from "./text.js";

/** Lines go out in chunks of about this many characters: a write per line costs more than the line. */
const CHUNK_CHARS = 64 * 1024;

/** `--since`: a real calendar day as YYYY-MM-DD (2024-02-30 and 2024-2-3 are refused), or one clear line. */
export function parseDay(text: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : null;
  if (day && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text) return text;
  throw new CyberbriefError(
    "cli/bad-date",
    `--since ${printable(JSON.stringify(text))} is not a calendar day; give it as YYYY-MM-DD, e.g. --since 2024-03-25`,
  );
}

/** One event as a JSON line: the store's fields, `sources`, and the tags in the shapes `analyze --json` prints. */
export function eventLine(event: ExportedEvent): string {
  const { actors, countries, sectors, malware, cves, ...rest } = event;
  // JSON.stringify escapes control characters, so a title or summary can never break the line.
  return JSON.stringify({ ...rest, ...tagsJson(actors, countries), sectors, malware, cves });
}

const readerGone = (err: unknown): boolean => {
  const code = (err as { code?: unknown }).code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
};

/**
 * Writes the lines to `out`, each chunk only once the previous one is taken (backpressure: memory stays flat
 * however slow the reader). Returns false when the reader went away first (`| head -1`): not an error.
 */
export async function writeLines(out: NodeJS.WritableStream, lines: AsyncIterable<string>): Promise<boolean> {
  // Write errors reach the callbacks below; the stream emits them as 'error' too, which must not crash us.
  out.on("error", () => undefined);
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => out.write(chunk, (err) => (err ? reject(err) : resolve())));
  try {
    let chunk = "";
    for await (const line of lines) {
      chunk += `${line}\n`;
      if (chunk.length >= CHUNK_CHARS) {
        await write(chunk);
        chunk = "";
      }
    }
    if (chunk) await write(chunk);
    return true;
  } catch (err) {
    if (readerGone(err)) return false;
    throw err;
  }
}

async function* eventLines(events: AsyncIterable<ExportedEvent>): AsyncGenerator<string> {
  for await (const event of events) yield eventLine(event);
}

/** Read-only and lock-free, so it runs beside a bot; a reader that stops early ends it quietly with 0. */
export async function exportCommand(config: Config, since: string | undefined): Promise<number> {
  const day = since === undefined ? undefined : parseDay(since);
  requireDatabase(config);
  const reader = await openStoryReader(config);
  try {
    await writeLines(process.stdout, eventLines(reader.store.exportEvents({ since: day })));
    return 0;
  } finally {
    await reader.close();
  }
}
