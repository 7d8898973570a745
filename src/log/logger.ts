// The root pino logger: pretty on a terminal, JSON otherwise, with secrets redacted wherever they appear.

import { createRequire } from "node:module";
import pino, { type Logger } from "pino";
import type pinoPrettyModule from "pino-pretty";

// pino-pretty (30 modules) is read only when a terminal gets pretty lines; it is CommonJS, so require() loads it
// synchronously where it is needed.
const pinoPretty = (options: Parameters<typeof pinoPrettyModule>[0]) =>
  (createRequire(import.meta.url)("pino-pretty") as typeof pinoPrettyModule)(options);

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

export const CENSOR = "[redacted]";

/** Shorter values are not treated as secrets: blanking them would garble ordinary words in the logs. */
const MIN_SECRET_LENGTH = 6;

/** Every form a secret takes in a JSON log line: as it is, JSON-escaped, and URL-encoded (either hex case). */
function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  const encoded = encodeURIComponent(secret);
  for (const form of [
    secret,
    encoded,
    encoded.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    encoded.replaceAll("%20", "+"),
  ]) {
    forms.add(form);
    forms.add(JSON.stringify(form).slice(1, -1));
  }
  // Longest first, so a form that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every configured secret in a serialized log line, at any depth of the logged object and inside
 * any string (an error message, a URL's query). Key-based redaction still blanks fields named like secrets.
 */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).flatMap(secretForms))];
  if (forms.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const form of forms) if (out.includes(form)) out = out.replaceAll(form, CENSOR);
    return out;
  };
}

export interface LoggerOptions {
  level?: string;
  /** Pretty-print (default: when stderr is a terminal). */
  pretty?: boolean;
  /** Where JSON lines go; defaults to stderr so stdout stays for command output. */
  destination?: NodeJS.WritableStream;
  /** Secret values (tokens, signing secrets) never to be written, whatever field or text holds them. */
  secrets?: readonly string[];
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? "info";
  const redact = { paths: REDACT_PATHS, censor: CENSOR };
  const hooks = { streamWrite: secretScrubber(opts.secrets ?? []) };
  const pretty = opts.pretty ?? (opts.destination === undefined && process.stderr.isTTY === true);
  if (pretty) {
    // Written in this thread, not a transport's worker: a one-shot command on a terminal starts no thread, and its
    // lines are out before it exits. The console's stream (it keeps log lines clear of the prompt) gets one line
    // per entry, so logs do not crowd out the stories and answers around them.
    const options = { colorize: true, translateTime: "HH:MM:ss", ignore: "pid,hostname" };
    const to = opts.destination
      ? { ...options, destination: opts.destination, singleLine: true }
      : { ...options, destination: 2, sync: true };
    return pino({ level, redact, hooks }, pinoPretty(to));
  }
  return pino(
    { level, redact, hooks },
    (opts.destination ?? pino.destination({ fd: 2, sync: true })) as never,
  );
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger = (): Logger => pino({ level: "silent" });
