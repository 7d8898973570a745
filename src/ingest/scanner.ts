// Walks the seeds folder: every candidate article file with its size and mtime, and every path it cannot use.

import { type Dirent, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { RejectReason } from "../core/reject.js";
import type { FileFacts } from "../core/story.js";
import { isInside, OUTSIDE_DETAIL } from "./open.js";

export interface ScanProblem {
  path: string;
  reason: RejectReason;
  detail: string;
  size?: number;
  mtimeMs?: number;
}

export interface FolderScan {
  files: FileFacts[];
  problems: ScanProblem[];
  /** Every folder walked, the root first (what a folder watcher watches). */
  folders: string[];
}

/** Extensions read as articles; files without an extension are read too. */
export const ARTICLE_EXTENSIONS = new Set([".txt", ".md", ".markdown", ".text"]);
const MAX_DEPTH = 64;

/** Hidden files and editors' or downloaders' temporary files are not articles and not problems. */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith(".") ||
    name.endsWith("~") ||
    /\.(tmp|temp|part|partial|crdownload|swp|swx|download)$/i.test(name) ||
    name.startsWith("#")
  );
}

const NOT_A_FILE = "not a regular file (a FIFO, socket or device)";
const BAD_NAME = "the name is not valid UTF-8, so it cannot be opened by name; rename it";

/** Node lists a name that is not valid UTF-8 with U+FFFD in it: a path that then cannot be opened. */
const isUndecodable = (name: string) => name.includes("\uFFFD");

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "EUNKNOWN";

/**
 * Synchronous on purpose: stat of thousands of files is faster in one tight loop than via promises.
 * `beforeList` is called for each folder just before it is listed: a watch begun there leaves no moment in which
 * a file could be written into the folder unseen by both the listing and the watch.
 */
export function scanFolder(root: string, beforeList?: (dir: string) => void): FolderScan {
  const files: FileFacts[] = [];
  const problems: ScanProblem[] = [];
  const folders: string[] = [];
  const seenDirs = new Set<string>();
  const stack: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
    seenDirs.add(rootReal);
  } catch (err) {
    problems.push({ path: root, reason: "unreadable", detail: `seeds folder: ${code(err)}` });
    return { files, problems, folders };
  }
  /** A link whose real path leaves the folder is reported with the link's own facts and never followed. */
  const outside = (path: string, real: string | null): boolean => {
    if (real === null || isInside(real, rootReal)) return false;
    const own = safeLstat(path);
    problems.push({ path, reason: "outside-seeds", detail: `${OUTSIDE_DETAIL}, to ${real}`, ...own });
    return true;
  };
  while (stack.length > 0) {
    const { dir, depth } = stack.pop() as { dir: string; depth: number };
    folders.push(dir);
    beforeList?.(dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: dir, reason: "unreadable", detail: `cannot list folder: ${code(err)}` });
      continue;
    }
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() || entry.isSymbolicLink()) {
        let st: ReturnType<typeof statSync>;
        try {
          st = statSync(path);
        } catch (err) {
          const c = code(err);
          if (c === "ENOENT" && isUndecodable(entry.name)) {
            problems.push({ path, reason: "unreadable", detail: BAD_NAME });
          } else if (c === "ENOENT" && entry.isSymbolicLink()) {
            problems.push({ path, reason: "unreadable", detail: "broken symbolic link" });
          } else if (c === "ELOOP") {
            problems.push({ path, reason: "symlink-loop", detail: "symbolic link loop" });
          } else if (c !== "ENOENT") {
            problems.push({ path, reason: "unreadable", detail: c });
          }
          continue;
        }
        const real = safeRealpath(path);
        if (outside(path, real)) continue;
        if (st.isDirectory()) {
          if (!real || seenDirs.has(real)) {
            problems.push({
              path,
              reason: "symlink-loop",
              detail: "folder already scanned through another link",
            });
          } else if (depth + 1 > MAX_DEPTH) {
            problems.push({ path, reason: "unreadable", detail: `nested deeper than ${MAX_DEPTH} folders` });
          } else {
            seenDirs.add(real);
            stack.push({ dir: path, depth: depth + 1 });
          }
          continue;
        }
        if (st.isFile()) addFile(path, entry.name, st.size, st.mtimeMs, files, problems);
        else problems.push({ path, reason: "unreadable", detail: NOT_A_FILE });
        continue;
      }
      if (!entry.isFile()) {
        // A FIFO, socket or device is never read (a FIFO would block the read), but it is reported.
        problems.push({ path, reason: "unreadable", detail: NOT_A_FILE });
        continue;
      }
      try {
        const st = statSync(path);
        addFile(path, entry.name, st.size, st.mtimeMs, files, problems);
      } catch (err) {
        const c = code(err);
        if (c === "ENOENT" && isUndecodable(entry.name))
          problems.push({ path, reason: "unreadable", detail: BAD_NAME });
        else if (c !== "ENOENT") problems.push({ path, reason: "unreadable", detail: c });
      }
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems, folders };
}

function addFile(
  path: string,
  name: string,
  size: number,
  mtimeMs: number,
  files: FileFacts[],
  problems: ScanProblem[],
): void {
  const ext = extname(name).toLowerCase();
  if (ext === "" || ARTICLE_EXTENSIONS.has(ext)) files.push({ path, size, mtimeMs });
  else
    problems.push({
      path,
      reason: "unsupported-type",
      detail: `"${ext}" files are not read; use .txt or .md`,
      size,
      mtimeMs,
    });
}

function safeRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function safeLstat(path: string): { size?: number; mtimeMs?: number } {
  try {
    const st = lstatSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return {};
  }
}
