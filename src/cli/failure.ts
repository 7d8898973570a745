// How the CLI ends on an error: one line and exit 2 for expected failures; an id (and the stack at debug level)
// for bugs.

import { randomBytes } from "node:crypto";
import { CommanderError } from "commander";
import { CyberbriefError, systemProblem } from "../core/errors.js";
import { printable } from "./text.js";

export interface Failure {
  exitCode: number;
  /** What to write to stderr (empty for help and version, which commander has printed). */
  text: string;
}

const DEBUG_LEVELS = new Set(["debug", "trace"]);

/** Whether the user asked for debug output: --log-level debug|trace or LOG_LEVEL=debug|trace. */
export function debugRequested(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--log-level" && DEBUG_LEVELS.has((argv[i + 1] ?? "").toLowerCase())) return true;
    if (arg.startsWith("--log-level=") && DEBUG_LEVELS.has(arg.slice(12).toLowerCase())) return true;
  }
  return DEBUG_LEVELS.has((env.LOG_LEVEL ?? "").trim().toLowerCase());
}

const oneLine = (text: string) => printable(text.replace(/\s*\n\s*/g, " ").trim());

export function describeFailure(err: unknown, debug: boolean): Failure {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return { exitCode: 0, text: "" };
    const what = oneLine(err.message.replace(/^error: /, ""));
    return { exitCode: 2, text: `cyberbrief: ${what} (run \`cyberbrief --help\` for usage)\n` };
  }
  if (err instanceof CyberbriefError) {
    // Configuration problems are a list, one per line; every other expected failure is one line.
    const text = err.code === "config/invalid" ? err.message : oneLine(err.message);
    return { exitCode: 2, text: `cyberbrief: ${text}\n` };
  }
  const system = systemProblem(err);
  if (system) return { exitCode: 2, text: `cyberbrief: ${oneLine(system)}\n` };
  const id = randomBytes(4).toString("hex");
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const lines = [
    `cyberbrief: unexpected error ${id}: ${oneLine(what)}; this is a bug, please report it with this id` +
      (debug ? "" : " (LOG_LEVEL=debug shows the details)"),
  ];
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  return { exitCode: 1, text: `${lines.join("\n")}\n` };
}
