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
