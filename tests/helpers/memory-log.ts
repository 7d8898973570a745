// A logger that keeps its lines in memory (parsed, and as written), so tests can assert on what was logged.

import { Writable } from "node:stream";
import { createLogger, type Logger, type LoggerOptions } from "../../src/log/logger.js";

export type LogLine = { level: number; msg: string } & Record<string, unknown>;

export interface MemoryLog {
  log: Logger;
  /** Each line parsed from JSON. */
  lines: LogLine[];
  /** Each line exactly as pino wrote it (a key written twice shows here, not in `lines`). */
  raw: string[];
}

/** The project's JSON logger (redaction included) writing into memory; level `debug` unless given. */
export function memoryLogger(opts: Omit<LoggerOptions, "destination" | "pretty"> = {}): MemoryLog {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  const log = createLogger({ level: "debug", ...opts, pretty: false, destination: sink });
  return { log, lines, raw };
}
