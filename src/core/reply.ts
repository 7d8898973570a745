// A platform-neutral message: what a command answers and what the alerts post as a notice; adapters render it.

import type { StoryCard } from "./cards.js";

export interface ReplyField {
  label: string;
  value: string;
  inline?: boolean;
}

export type ReplyKind = "answer" | "help" | "usage" | "empty" | "refused" | "error" | "notice";

/** A platform-neutral answer to a command (or a notice posted in a channel). */
export interface Reply {
  kind: ReplyKind;
  headline: string;
  /** Paragraphs of plain text (no markup; adapters escape it). */
  text: string[];
  fields: ReplyField[];
  stories: StoryCard[];
  /** A closing hint, e.g. "12 more: /cyber latest 20". */
  footer?: string;
  /** Must be visible only to the asker (help, usage, errors, refusals). When false, the adapter's visibility setting decides. */
  private: boolean;
  /** Set on internal errors; the same id is in the log. */
  errorId?: string;
}
