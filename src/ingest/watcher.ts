// Watches folders, not files: one fs.watch per folder the scan walked (one inotify watch each on Linux), so
// 2,000 articles in one folder cost one watch. When the system's watch limit is reached it gives up once and
// the scheduled scan carries on alone.

import { type FSWatcher, watch } from "node:fs";
import { stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { isIgnoredName } from "./scanner.js";

/** fs.watch on one folder, not recursive; tests pass their own to act out the system's limit. */
export type WatchFolder = (
  dir: string,
  listener: (event: string, name: string | Buffer | null) => void,
) => FSWatcher;

export const watchFolder: WatchFolder = (dir, listener) => watch(dir, { persistent: true }, listener);

export interface FolderWatcherOptions {
  /** Something changed at this path in a watched folder (a file, probably): look at it. */
  onPath(path: string): void;
  /** A folder appeared (or an event could not be placed): rescan, which decides what to watch. */
  onFolder(path: string): void;
  /** The system's watch limit was hit (ENOSPC or EMFILE): called once, after every watch is closed. */
  onLimit(err: NodeJS.ErrnoException): void;
  /** One folder could not be watched (permissions, gone since the scan); the others go on. */
  onProblem(dir: string, err: unknown): void;
  watch?: WatchFolder;
}

const LIMIT_CODES = new Set(["ENOSPC", "EMFILE", "ENFILE"]);

export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly watchFn: WatchFolder;
  private state: "watching" | "gave-up" | "closed" = "watching";

  constructor(private readonly opts: FolderWatcherOptions) {
    this.watchFn = opts.watch ?? watchFolder;
  }

  /** How many folders are watched now. */
  get size(): number {
    return this.watchers.size;
  }

  get gaveUp(): boolean {
    return this.state === "gave-up";
  }

  /** Watch one more folder (the scan calls this before it lists the folder); true when a watch began. */
  watch(dir: string): boolean {
    return this.state === "watching" && !this.watchers.has(dir) && this.add(dir);
  }

  /** Watch exactly these folders (the last scan's): new ones are added, ones no longer there closed. */
  sync(folders: readonly string[]): number {
    if (this.state !== "watching") return 0;
    const wanted = new Set(folders);
    for (const [dir, w] of this.watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    let added = 0;
    for (const dir of folders) {
      if (this.state !== "watching") break;
      if (!this.watchers.has(dir) && this.add(dir)) added++;
    }
    return added;
  }

  close(): void {
    this.state = "closed";
    this.closeAll();
  }

  private add(dir: string): boolean {
    try {
      const w = this.watchFn(dir, (_event, name) => this.event(dir, name));
      w.on("error", (err) => this.lost(dir, err));
      this.watchers.set(dir, w);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      if (LIMIT_CODES.has(code)) this.giveUp(err as NodeJS.ErrnoException);
      else this.opts.onProblem(dir, err);
      return false;
    }
  }

  private event(dir: string, name: string | Buffer | null): void {
    if (this.state !== "watching") return;
    if (name === null || name === undefined) {
      this.opts.onFolder(dir);
      return;
    }
    const base = String(name);
    if (isIgnoredName(base)) return;
    const path = join(dir, base);
    stat(path).then(
      (st) => {
        if (this.state !== "watching") return;
        if (st.isDirectory()) {
          if (!this.watchers.has(path)) this.opts.onFolder(path);
        } else this.opts.onPath(path);
      },
      () => this.forget(path),
    );
  }

  /** A watched folder that disappeared, with every folder below it. */
  private forget(path: string): void {
    for (const [dir, w] of this.watchers) {
      if (dir === path || dir.startsWith(path + sep)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
  }

  private lost(dir: string, err: unknown): void {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (LIMIT_CODES.has(code)) {
      this.giveUp(err as NodeJS.ErrnoException);
      return;
    }
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
    if (this.state === "watching") this.opts.onProblem(dir, err);
  }

  private giveUp(err: NodeJS.ErrnoException): void {
    if (this.state !== "watching") return;
    this.state = "gave-up";
    this.closeAll();
    this.opts.onLimit(err);
  }

  private closeAll(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
