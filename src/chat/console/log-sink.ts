// Where log lines go in console mode: to stderr as written, or above the `cyber>` prompt while one is shown.

import { Writable } from "node:stream";

/** What the console adapter does around a log line while its prompt is on the terminal. */
export interface PromptGuard {
  /** Erase the prompt and what the user has typed so far, leaving the cursor at the start of its line. */
  clear(): void;
  /** Draw the prompt and the typed text again, the cursor where it was. */
  redraw(): void;
}

/**
 * A stream for the logger. With no prompt on the terminal (no console adapter, input or output not a
 * terminal, logs redirected to a file) it passes every chunk through unchanged.
 */
export class ConsoleLogSink extends Writable {
  private guard: PromptGuard | null = null;

  constructor(private readonly target: NodeJS.WritableStream) {
    super({ decodeStrings: false });
  }

  /** True when log lines land on a terminal: they are then pretty-printed and kept clear of the prompt. */
  get isTTY(): boolean {
    return (this.target as NodeJS.WriteStream).isTTY === true;
  }

  /** Keeps log lines above the prompt until the returned function is called. */
  attach(guard: PromptGuard): () => void {
    this.guard = guard;
    return () => {
      if (this.guard === guard) this.guard = null;
    };
  }

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    done: (err?: Error | null) => void,
  ): void {
    const guard = this.isTTY ? this.guard : null;
    guard?.clear();
    this.target.write(chunk);
    guard?.redraw();
    done();
  }
}
