// A small coded error hierarchy: the code says where and what ("ingest/unreadable-file").

export class CyberbriefError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CyberbriefError";
  }
}

/** Problems in configuration: one error listing every issue. */
export class ConfigError extends CyberbriefError {
  constructor(readonly problems: string[]) {
    super("config/invalid", `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What to do about an operating-system error that bad settings or the machine cause, by its code. */
const SYSTEM_HINTS: Record<string, string> = {
  EACCES: "this user may not use that path; fix the path in your settings or the folder's owner and mode",
  EPERM: "this user may not use that path; fix the path in your settings or the folder's owner and mode",
  EROFS: "that file system is read-only; point the setting at a writable folder",
  ENOENT: "a file or folder in that path does not exist; check the path",
  ENOTDIR: "part of that path is a file, not a folder; check the path",
  EISDIR: "that path is a folder, not a file; check the path",
  ENOSPC: "the disk is full; free some space",
  EDQUOT: "the disk quota is used up; free some space",
  EMFILE: "too many open files; raise the limit (ulimit -n)",
  EADDRINUSE: "another program uses that port; choose another (CYBERBRIEF_HTTP_PORT, SLACK_PORT)",
  EADDRNOTAVAIL: "that address is not on this machine; check the host and port settings",
};

/**
 * One line for an operating-system error (it has a code such as EACCES and the call that failed), or null
 * when `err` is something else.
 */
export function systemProblem(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  if (typeof code !== "string" || typeof syscall !== "string") return null;
  const hint = SYSTEM_HINTS[code];
  if (!hint) return null;
  const uid = typeof process.getuid === "function" ? ` (running as uid ${process.getuid()})` : "";
  return `${err.message.split("\n")[0]}; ${hint}${code === "EACCES" || code === "EPERM" ? uid : ""}`;
}
