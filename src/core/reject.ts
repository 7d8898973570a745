// Why a file was not stored: the reasons ingest records and the store and status report.

export type RejectReason =
  | "empty"
  | "binary"
  | "invalid-utf8"
  | "too-large"
  | "unreadable"
  | "symlink-loop"
  /** A link (or a linked folder) whose real path lies outside the seeds folder: never opened. */
  | "outside-seeds"
  | "vanished"
  | "bad-front-matter"
  | "no-text"
  | "unsupported-type";
