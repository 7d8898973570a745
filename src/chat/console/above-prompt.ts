// Printing above the `cyber>` prompt: the prompt that erases and redraws itself, and the logger's stream using it.

import { clearScreenDown, cursorTo, type Interface, moveCursor } from "node:readline";
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

/** The prompt of a readline interface, and whether it is on the screen waiting for input. */
export class Prompt implements PromptGuard {
  private shown = false;

  constructor(
    private readonly rl: Interface,
    private readonly out: NodeJS.WritableStream,
  ) {}

  private get active(): boolean {
    return this.shown && (this.out as NodeJS.WriteStream).isTTY === true;
  }

  show(): void {
    this.rl.prompt();
    this.shown = true;
  }

  /** The user pressed Enter: the prompt is gone until the answer has been printed. */
  hide(): void {
    this.shown = false;
  }

  /** Input ended (Ctrl-D leaves the cursor after the prompt): end that line so later output starts on its own. */
  close(): void {
    if (this.active) this.out.write("\n");
    this.shown = false;
  }

  /** Erase the prompt and the typed text (which may span several rows), cursor at the start of the prompt. */
  clear(): void {
    if (!this.active) return;
    moveCursor(this.out, 0, -this.rl.getCursorPos().rows);
    cursorTo(this.out, 0);
    clearScreenDown(this.out);
  }

  redraw(): void {
    if (!this.active) return;
    // readline redraws from the row it last drew on; the text above the prompt is new, so start afresh.
    (this.rl as unknown as { prevRows: number }).prevRows = 0;
    this.rl.prompt(true);
  }

  /** Prints `text` above the prompt, which comes back below it with whatever was typed. */
  printAbove(text: string): void {
    this.clear();
    this.out.write(text);
    this.redraw();
  }
}
