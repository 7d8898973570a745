// In-memory console streams: an input to type into, and an output whose text so far the test can read.

import { PassThrough } from "node:stream";

export interface ConsoleIO {
  input: PassThrough;
  output: PassThrough;
  /** Everything written to `output` so far. */
  read(): string;
}

export function consoleIO(): ConsoleIO {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (d) => {
    text += String(d);
  });
  return { input, output, read: () => text };
}
