// Flood control: past a threshold of alerts per window, a channel gets one digest message instead of many.

export interface FloodPolicy {
  /** More than this many stories to one channel within `windowMs` is a flood. */
  threshold: number;
  windowMs: number;
  /** In a flood, the least time between two messages to the channel: stories gather into the next digest. */
  holdMs: number;
  /** Stories per digest message; more wait for the next one. */
  maxBatch: number;
}

export interface ChannelHistory {
  sentInWindow: number;
  lastSentAt: number | null;
}

export type ChannelPlan<T> =
  | { kind: "alert"; rows: [T] }
  | { kind: "batch"; rows: T[] }
  | { kind: "hold"; until: number }
  | { kind: "none" };

export function floodPolicy(
  alerts: { floodThreshold: number; floodWindowMs: number },
  maxBatch = 25,
): FloodPolicy {
  return {
    threshold: alerts.floodThreshold,
    windowMs: alerts.floodWindowMs,
    // Spacing digests by window/threshold keeps a sustained flood near `threshold` messages per window.
    holdMs: Math.ceil(alerts.floodWindowMs / alerts.floodThreshold),
    maxBatch,
  };
}

/**
 * Decides the channel's next message from its due stories (oldest first) and what it got recently.
 * Within the threshold each story is its own alert; a burst larger than the threshold becomes a digest at once;
 * a trickle that pushes the window over the threshold waits out `holdMs` and then goes as one digest.
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
  if (due.length <= policy.threshold && history.lastSentAt !== null) {
    const until = history.lastSentAt + policy.holdMs;
    if (until > now) return { kind: "hold", until };
  }
  if (due.length === 1) return { kind: "alert", rows: [first] };
  return { kind: "batch", rows: due.slice(0, policy.maxBatch) };
}
