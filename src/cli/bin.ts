#!/usr/bin/env node
// Entry point of the `cyberbrief` command: one clear line for every expected failure, no stack traces for users.

import module from "node:module";

// Node 22.1+ keeps compiled code between runs (in the OS temp folder), so later starts skip compiling; Node 20 has
// no such cache. It must be on before the modules below load, hence their import() after it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const [{ debugRequested, describeFailure }, { buildProgram, checkCommandName }] = await Promise.all([
  import("./failure.js"),
  import("./program.js"),
]);

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
