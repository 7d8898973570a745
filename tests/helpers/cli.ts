// Runs the built `cyberbrief` CLI in a child process, as users and scripts do.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { tempDir } from "./tmp.js";

/** The bundled CLI, as package.json's bin and the image run it. */
export const BIN = join(import.meta.dirname, "../../dist/bundle/cyberbrief.js");

/**
 * A clean environment: no tokens from the developer's shell. Commands run in an empty folder unless a test
 * gives one, so a `.env` or `var/` in the working tree never reaches them and they never write there.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8" };
  return { ...env, ...extra };
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: opts.cwd ?? tempDir("cyberbrief-cwd-"), env: cliEnv(opts.env), timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Starts a long-running CLI process and collects its output. */
export function startCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? tempDir("cyberbrief-cwd-"),
    env: cliEnv(opts.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (d) => {
    out.stdout += String(d);
  });
  child.stderr?.on("data", (d) => {
    out.stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // A test that fails or times out must not leave its process running (and using the machine) behind it.
  try {
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
  } catch {
    // Started outside a test (a beforeAll): its file's own afterAll stops it.
  }
  return { child, out, exited };
}
