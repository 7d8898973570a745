// When a file has stopped changing: a quiet window that grows with the file's recent activity, up to a cap.

import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../core/clock.js";
import type { FileFacts } from "../core/story.js";
import type { FileAccess } from "./open.js";

/** Waits `ms` (or until `signal` aborts, resolving early). Tests pass one driven by their own clock. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined);

/** The window for a file whose last line is unfinished, and the most any file waits, as multiples of settleMs. */
export const UNFINISHED_FACTOR = 5;
export const CAP_FACTOR = 25;
const MAX_ROUNDS = 200;
/** Gaps between changes remembered per file. */
const GAPS = 4;
const CENTURY = 100 * 365 * 86_400_000;

interface Activity {
  mtimeMs: number;
  /** When the file was last looked at. */
  at: number;
  /** Recent gaps between the changes seen, newest last. */
  gaps: number[];
}

const sameFacts = (a: FileFacts, b: FileFacts) => a.size === b.size && a.mtimeMs === b.mtimeMs;

export class Settler {
  private readonly activity = new Map<string, Activity>();
  /** A longer window asked for once, for one file's exact size and mtime (its last line was unfinished). */
  private readonly held = new Map<string, { key: string; ms: number }>();
  private lastSweep = 0;

  constructor(
    private readonly settleMs: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    private readonly files: Pick<FileAccess, "stat">,
  ) {}

  get cap(): number {
    return this.settleMs * CAP_FACTOR;
  }

  /**
   * How long `path` must have been still: settleMs, or twice the longest recent gap between its changes (a
   * writer that pauses for a second between chunks needs two seconds of quiet), or the unfinished-line window.
   */
  required(path: string): number {
    const gaps = this.activity.get(path)?.gaps ?? [];
    const hold = this.held.get(path)?.ms ?? 0;
    return Math.min(this.cap, Math.max(this.settleMs, 2 * Math.max(0, ...gaps), hold));
  }

  /**
   * Wait until size and mtime have been still for `required(path)`; null when it is not a regular file (or is
   * gone, or the engine stops). A file untouched for the whole window already needs no waiting. `seen`: what a
   * stat of the regular file `path` gave just now (the scan's), taken for the first look instead of a stat.
   */
  async settle(path: string, signal: AbortSignal, seen?: FileFacts): Promise<FileFacts | null> {
    let prev: FileFacts | null = null;
    let stableSince = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (signal.aborted) return null;
      let facts: FileFacts;
      try {
        if (round === 0 && seen) facts = seen;
        else {
          const st = await this.files.stat(path);
          if (!st.isFile()) return null;
          facts = { path, size: st.size, mtimeMs: st.mtimeMs };
        }
      } catch {
        return null;
      }
      const now = this.clock.now();
      if (!prev || !sameFacts(prev, facts)) stableSince = now;
      const active = this.note(path, facts.mtimeMs, now);
      const age = now - facts.mtimeMs;
      const quiet = age >= 0 && age < CENTURY ? age : now - stableSince;
      const required = this.required(path);
      if (quiet >= required) return facts;
      prev = facts;
      // A file seen changing is looked at often, so the gaps measured are the writer's pauses, not ours.
      const wait = required - quiet;
      await this.sleep(Math.max(1, active ? Math.min(wait, this.settleMs / 4) : wait), signal);
    }
    return prev;
  }

  /**
   * The file was read and ends mid-line while it is still young: true asks for one more, longer wait (it is
   * probably still being written). A finished file without a final newline is read after that wait.
   */
  holdUnfinished(facts: FileFacts, content: Uint8Array): boolean {
    const last = content[content.length - 1];
    const key = `${facts.size}:${facts.mtimeMs}`;
    const window = this.settleMs * UNFINISHED_FACTOR;
    const age = this.clock.now() - facts.mtimeMs;
    const young = age < window && age > -CENTURY;
    const unfinished = last !== undefined && last !== 0x0a && last !== 0x0d;
    if (!unfinished || !young || this.held.get(facts.path)?.key === key) {
      this.held.delete(facts.path);
      return false;
    }
    this.held.set(facts.path, { key, ms: window });
    return true;
  }

  /** Record what was seen; true when the file changed recently while being watched (an active writer). */
  private note(path: string, mtimeMs: number, now: number): boolean {
    this.sweep(now);
    const a = this.activity.get(path);
    if (!a) {
      this.activity.set(path, { mtimeMs, at: now, gaps: [] });
      return false;
    }
    // A change noticed long after the last look says nothing about how the writer paces itself.
    const recent = now - a.at <= this.cap;
    if (a.mtimeMs !== mtimeMs && recent) {
      const gap = mtimeMs - a.mtimeMs;
      if (gap > 0 && gap <= this.cap) a.gaps.push(gap);
      if (a.gaps.length > GAPS) a.gaps.shift();
    } else if (!recent) a.gaps.length = 0;
    a.mtimeMs = mtimeMs;
    a.at = now;
    return a.gaps.length > 0;
  }

  /** Forget files not looked at for a while, so the map stays as small as the set of files being written. */
  private sweep(now: number): void {
    if (now - this.lastSweep < Math.max(this.cap, 1000)) return;
    this.lastSweep = now;
    for (const [path, a] of this.activity) if (now - a.at > this.cap) this.activity.delete(path);
    for (const path of this.held.keys()) if (!this.activity.has(path)) this.held.delete(path);
  }
}
