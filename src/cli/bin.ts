#!/usr/bin/env node
// Entry point of the `cyberbrief` command: clear messages for configuration mistakes, no stack traces for users.

import { ConfigError, CyberbriefError } from "../core/errors.js";
import { buildProgram } from "./program.js";

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof CyberbriefError) {
      process.stderr.write(`cyberbrief: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `cyberbrief: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
