#!/usr/bin/env node
// Entry point of the `cyberbrief` command: one clear line for every expected failure, no stack traces for users.

import { debugRequested, describeFailure } from "./failure.js";
import { buildProgram, checkCommandName } from "./program.js";

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  checkCommandName(program, argv.slice(2));
  await program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  const { exitCode, text } = describeFailure(err, debugRequested(process.argv.slice(2), process.env));
  if (text) process.stderr.write(text);
  process.exit(exitCode);
});
