// Flood control: past a threshold of alerts per window, a channel gets one summary message for the backlog.

export interface FloodPolicy {
  /** More than this many stories to one channel within `windowMs` is a flood. */
  threshold: number;
  windowMs: number;
  /** In a flood, the least time between two summaries (and after a trickle's last message): the window. */
  holdMs: number;
  /** Most rows one summary claims (a bound on memory); more wait for the next summary. */
  maxSummary: number;
}

export interface ChannelHistory {
  sentInWindow: number;
  lastSentAt: number | null;
  /** When the channel last got a summary within the window, or null. */
  lastBatchAt: number | null;
}

export type ChannelPlan<T> =
  | { kind: "alert"; rows: [T] }
  | { kind: "batch"; rows: T[] }
  | { kind: "hold"; until: number }
  | { kind: "none" };

export function floodPolicy(
  alerts: { floodThreshold: number; floodWindowMs: number },
  maxSummary: number | undefined = 10_000,
): FloodPolicy {
  // One summary per window per channel at most, however large the backlog.
  return {
    threshold: alerts.floodThreshold,
    windowMs: alerts.floodWindowMs,
    holdMs: alerts.floodWindowMs,
    maxSummary,
  };
}

/**
 * Decides the channel's next message from its due stories (oldest first) and what it got recently.
 * Within the threshold each story is its own alert. Above it, every due story goes into one summary, at most
 * one per `holdMs`; a trickle that pushes the window over the threshold waits `holdMs` after the channel's last
 * message, so what arrives meanwhile gathers into that summary.
 */
export function planChannel<T>(
  due: T[],
  history: ChannelHistory,
  now: number,
  policy: FloodPolicy,
): ChannelPlan<T> {
  const first = due[0];
  if (first === undefined) return { kind: "none" };
  if (history.sentInWindow + due.length <= policy.threshold) return { kind: "alert", rows: [first] };
  let until = history.lastBatchAt === null ? 0 : history.lastBatchAt + policy.holdMs;
  if (due.length <= policy.threshold && history.lastSentAt !== null)
    until = Math.max(until, history.lastSentAt + policy.holdMs);
  if (until > now) return { kind: "hold", until };
  if (due.length === 1) return { kind: "alert", rows: [first] };
  return { kind: "batch", rows: due.slice(0, policy.maxSummary) };
}
