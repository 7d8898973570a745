// The root pino logger: pretty on a terminal, JSON otherwise, with secrets redacted wherever they appear.

import pino, { type Logger } from "pino";
import pinoPretty from "pino-pretty";

export type { Logger };

const SECRET_KEYS = [
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "authorization",
  "Authorization",
  "password",
  "secret",
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  "headers.authorization",
  "req.headers.authorization",
];

export interface LoggerOptions {
  level?: string;
  /** Pretty-print (default: when stderr is a terminal). */
  pretty?: boolean;
  /** Where JSON lines go; defaults to stderr so stdout stays for command output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? "info";
  const redact = { paths: REDACT_PATHS, censor: "[redacted]" };
  const pretty = opts.pretty ?? (opts.destination === undefined && process.stderr.isTTY === true);
  if (pretty && opts.destination) {
    // The console's stream (it keeps log lines clear of the prompt) is written in this thread, not a worker;
    // one line per entry, so logs do not crowd out the stories and answers around them.
    const options = { colorize: true, translateTime: "HH:MM:ss", ignore: "pid,hostname", singleLine: true };
    return pino({ level, redact }, pinoPretty({ ...options, destination: opts.destination }));
  }
  if (pretty) {
    return pino({
      level,
      redact,
      transport: {
        target: "pino-pretty",
        options: { destination: 2, colorize: true, translateTime: "HH:MM:ss", ignore: "pid,hostname" },
      },
    });
  }
  return pino({ level, redact }, (opts.destination ?? pino.destination({ fd: 2, sync: true })) as never);
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger = (): Logger => pino({ level: "silent" });
