// Progress for a large backlog: a live line on a terminal, a periodic log line otherwise.

import type { Logger } from "../log/logger.js";

export interface ProgressOptions {
  log: Logger;
  /** A terminal to draw a live line on (stderr); null to log instead. */
  tty: NodeJS.WriteStream | null;
  /** Backlogs smaller than this go unreported. */
  minTotal?: number;
  logEveryMs?: number;
  now?: () => number;
}

export function progressReporter(opts: ProgressOptions): (done: number, total: number) => void {
  const minTotal = opts.minTotal ?? 200;
  const every = opts.logEveryMs ?? 5000;
  const now = opts.now ?? Date.now;
  let last = 0;
  let started = 0;
  return (done, total) => {
    if (total < minTotal) return;
    const t = now();
    if (done === 0) started = t;
    const finished = done === total;
    const pct = Math.floor((done / total) * 100);
    if (opts.tty) {
      if (!finished && done !== 0 && t - last < 100) return;
      last = t;
      opts.tty.write(`\r\x1b[Kingesting ${done}/${total} files (${pct}%)${finished ? "\n" : ""}`);
      return;
    }
    if (!finished && done !== 0 && t - last < every) return;
    last = t;
    const rate = t > started ? Math.round((done / (t - started)) * 1000) : 0;
    opts.log.info(
      { done, total, perSecond: rate },
      finished ? "backlog ingested" : `ingesting backlog: ${pct}%`,
    );
  };
}
