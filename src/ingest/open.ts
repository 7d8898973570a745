// Reads an article file only when its real location lies inside the seeds folder, and reads the file it checked.

import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import { lstat, open, readlink, realpath, stat } from "node:fs/promises";
import { sep } from "node:path";
import { errorMessage } from "../core/errors.js";
import type { RejectReason } from "../core/reject.js";

/** The file system calls the reader makes; tests pass their own to act out a race. */
export interface FileStat {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  isFile(): boolean;
}

/** What the reader does with an open file: a FileHandle (node:fs/promises) has it. */
export interface OpenFile {
  readonly fd: number;
  stat(): Promise<FileStat>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

export interface FileAccess {
  realpath(path: string): Promise<string>;
  open(path: string, flags: number): Promise<OpenFile>;
  /** The path the kernel holds for an open descriptor, or null where the platform cannot tell. */
  heldPath(fd: number): Promise<string | null>;
  /** Follows links; the settle check (settle.ts) reads size, mtime and the kind of file from it too. */
  stat(path: string): Promise<FileStat>;
}

export const nodeFileAccess: FileAccess = {
  realpath: (path) => realpath(path),
  open: (path, flags) => open(path, flags),
  heldPath: async (fd) => {
    if (process.platform !== "linux") return null;
    try {
      return await readlink(`/proc/self/fd/${fd}`);
    } catch {
      return null;
    }
  },
  stat: (path) => stat(path),
};

/**
 * The same calls made synchronously, for the analysis worker: blocking costs that thread nothing, and a call's
 * round trip through the thread pool and its promise cost more than the call (about 0.1 ms per file read).
 */
export const syncFileAccess: FileAccess = {
  realpath: async (path) => realpathSync.native(path),
  open: async (path, flags) => {
    const fd = openSync(path, flags);
    return {
      fd,
      stat: async () => fstatSync(fd),
      read: async (buffer, offset, length, position) => ({
        bytesRead: readSync(fd, buffer, offset, length, position),
      }),
      close: async () => closeSync(fd),
    };
  },
  heldPath: async (fd) => {
    if (process.platform !== "linux") return null;
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return null;
    }
  },
  stat: async (path) => statSync(path),
};

export type SafeRead =
  | { kind: "read"; buf: Buffer; size: number; mtimeMs: number }
  | { kind: "rejected"; reason: RejectReason; detail: string }
  /** The path stopped naming the checked file between the check and the open: look again later. */
  | { kind: "changed" };

export const OUTSIDE_DETAIL = "links outside the seeds folder";
const NOT_A_FILE = "not a regular file (a FIFO, socket or device)";
const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "";

/** True when `real` is `rootReal` or below it (both already resolved by realpath). */
export function isInside(real: string, rootReal: string): boolean {
  const base = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  return real === rootReal || real.startsWith(base);
}

/** The real path of the seeds folder; cached briefly, since every file read asks for it. */
export class RootPath {
  private cached: { root: string; real: string; at: number } | null = null;
  constructor(
    private readonly fs: FileAccess = nodeFileAccess,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 1000,
  ) {}

  async real(root: string): Promise<string> {
    const c = this.cached;
    const t = this.now();
    if (c && c.root === root && t - c.at >= 0 && t - c.at < this.ttlMs) return c.real;
    const real = await this.fs.realpath(root);
    this.cached = { root, real, at: t };
    return real;
  }
}

/** Where `path` really is, or why it cannot be used: outside the folder, a loop, gone. */
export async function locate(
  path: string,
  root: string,
  fs: FileAccess = nodeFileAccess,
  roots: RootPath = new RootPath(fs),
): Promise<{ real: string; rootReal: string } | Extract<SafeRead, { kind: "rejected" }>> {
  let rootReal: string;
  try {
    rootReal = await roots.real(root);
  } catch (err) {
    return {
      kind: "rejected",
      reason: "unreadable",
      detail: `seeds folder: ${errno(err) || errorMessage(err)}`,
    };
  }
  let real: string;
  try {
    real = await fs.realpath(path);
  } catch (err) {
    const c = errno(err);
    if (c === "ENOENT") return { kind: "rejected", reason: "vanished", detail: "the file disappeared" };
    if (c === "ELOOP") return { kind: "rejected", reason: "symlink-loop", detail: "symbolic link loop" };
    return { kind: "rejected", reason: "unreadable", detail: `${c || "error"}: ${errorMessage(err)}` };
  }
  if (!isInside(real, rootReal))
    return { kind: "rejected", reason: "outside-seeds", detail: `${OUTSIDE_DETAIL}, to ${real}` };
  return { real, rootReal };
}

/**
 * Resolve every link, refuse a real path outside `root` without opening it, then open the resolved path
 * (O_NOFOLLOW: its last part cannot have become a link; O_NONBLOCK: a FIFO cannot hang the open) and check
 * that the open file is still inside: on Linux by the path the kernel holds for the descriptor, elsewhere by
 * comparing device and inode with the realpath taken again. Only then is anything read.
 */
export async function readInside(
  path: string,
  root: string,
  maxBytes: number,
  fs: FileAccess = nodeFileAccess,
  roots: RootPath = new RootPath(fs),
): Promise<SafeRead> {
  const where = await locate(path, root, fs, roots);
  if ("kind" in where) return where;
  let fh: OpenFile;
  try {
    fh = await fs.open(where.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const c = errno(err);
    // The resolved path vanished or became a link since realpath: someone is changing it; look again.
    if (c === "ENOENT" || c === "ELOOP" || c === "ENOTDIR") return { kind: "changed" };
    return { kind: "rejected", reason: "unreadable", detail: `${c || "error"}: ${errorMessage(err)}` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { kind: "rejected", reason: "unreadable", detail: NOT_A_FILE };
    const held = await fs.heldPath(fh.fd);
    if (held !== null) {
      if (held.endsWith(" (deleted)")) return { kind: "changed" };
      if (!isInside(held, where.rootReal))
        return { kind: "rejected", reason: "outside-seeds", detail: `${OUTSIDE_DETAIL}, to ${held}` };
    } else {
      const again = await locate(path, root, fs, roots);
      if ("kind" in again) return again.reason === "vanished" ? { kind: "changed" } : again;
      const now = await fs.stat(again.real).catch(() => null);
      if (!now || now.dev !== st.dev || now.ino !== st.ino) return { kind: "changed" };
    }
    if (st.size > maxBytes)
      return { kind: "rejected", reason: "too-large", detail: `${st.size} bytes; the limit is ${maxBytes}` };
    const buf = await readUpTo(fh, st.size + 1);
    if (buf.length !== st.size) return { kind: "changed" };
    return { kind: "read", buf, size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    return {
      kind: "rejected",
      reason: "unreadable",
      detail: `${errno(err) || "error"}: ${errorMessage(err)}`,
    };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** At most `limit` bytes from the start: a file that keeps growing cannot make the read endless. */
async function readUpTo(fh: OpenFile, limit: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(limit);
  let got = 0;
  while (got < limit) {
    const { bytesRead } = await fh.read(buf, got, limit - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** A link's own size and mtime (not its target's): what the ledger compares for a refused link. */
export async function linkFacts(path: string): Promise<{ path: string; size: number; mtimeMs: number }> {
  const st = await lstat(path).catch(() => null);
  return { path, size: st?.size ?? 0, mtimeMs: st?.mtimeMs ?? 0 };
}
