// One bot per SQLite database: an exclusive lock on `<db>.lock` that the kernel drops when its process dies.
//
// The lock is SQLite's own file lock (fcntl on Linux and macOS), taken by `BEGIN EXCLUSIVE` on a small companion
// database and held until release: a crash or SIGKILL leaves nothing stale behind. Who holds it (pid, host,
// command, start time) is written next to it, `<db>.lock.json`, so a refused process can say.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { CyberbriefError, errorMessage } from "../../core/errors.js";

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

export interface DatabaseLock {
  readonly owner: LockOwner;
  /** Lets the next process in; safe to call twice. */
  release(): void;
}

export const lockFiles = (dbPath: string) => ({ lock: `${dbPath}.lock`, owner: `${dbPath}.lock.json` });

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/** What the owner file says, or null when it is missing or unreadable. */
export function readLockOwner(dbPath: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(lockFiles(dbPath).owner, "utf8")) as Partial<LockOwner>;
    if (typeof o.pid !== "number" || typeof o.host !== "string") return null;
    return {
      pid: o.pid,
      host: o.host,
      command: String(o.command ?? "cyberbrief"),
      startedAt: String(o.startedAt ?? "?"),
    };
  } catch {
    return null;
  }
}

function inUse(dbPath: string): CyberbriefError {
  const o = readLockOwner(dbPath);
  const who = o
    ? `\`${o.command}\` (pid ${o.pid} on host ${o.host}, since ${o.startedAt})`
    : "another cyberbrief process";
  return new CyberbriefError(
    "store/in-use",
    `the database ${dbPath} is in use by ${who}; stop that one first, or point --db / CYBERBRIEF_DB at another file`,
  );
}

/**
 * Takes the database's lock for this process, or throws a CyberbriefError naming the process that holds it.
 * An in-memory database needs no lock.
 */
export function lockDatabase(dbPath: string, command: string): DatabaseLock {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: new Date().toISOString(),
  };
  if (dbPath === ":memory:") return { owner, release: () => undefined };
  const files = lockFiles(dbPath);
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(dbPath), { recursive: true });
    db = new Database(files.lock, { timeout: 0 });
    db.exec("BEGIN EXCLUSIVE");
  } catch (err) {
    db?.close();
    if (isBusy(err)) throw inUse(dbPath);
    const uid = typeof process.getuid === "function" ? ` by this user (uid ${process.getuid()})` : "";
    throw new CyberbriefError(
      "store/lock",
      `cannot open the database ${dbPath} (locking ${files.lock}): ${errorMessage(err)}; its folder must be writable${uid}, or set CYBERBRIEF_DB or --db to a file in one that is`,
      { cause: err },
    );
  }
  const held = db;
  // Written whole or not at all: a reader never sees half a file.
  const tmp = `${files.owner}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(owner)}\n`);
  renameSync(tmp, files.owner);
  let released = false;
  return {
    owner,
    release() {
      if (released) return;
      released = true;
      // The owner file goes first, while the lock still keeps the next process from writing its own.
      rmSync(files.owner, { force: true });
      if (held.open) {
        if (held.inTransaction) held.exec("ROLLBACK");
        held.close();
      }
    },
  };
}
