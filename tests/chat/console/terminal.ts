// A terminal for console tests: stdout and stderr both drawn by a headless xterm, so tests read the screen.

import { PassThrough, Writable } from "node:stream";
import xterm from "@xterm/headless";

type TtyOut = Writable & NodeJS.WriteStream;

/** A stream that says it is a terminal of `columns` × `rows`, as process.stdout does; writes land at once. */
function ttyStream(columns: number, rows: number, sink: (chunk: string) => void): TtyOut {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _enc, done) {
      sink(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, columns, rows }) as unknown as TtyOut;
}

export interface FakeTerminal {
  input: PassThrough;
  stdout: TtyOut;
  stderr: TtyOut;
  /** Every byte written to stdout and stderr, in order. */
  raw(): string;
  /** The visible rows, right-trimmed, once everything written so far is drawn. */
  screen(): Promise<string[]>;
  /** The cursor's row and column. */
  cursor(): Promise<{ row: number; col: number }>;
  /** Rows up to the last non-empty one. */
  text(): Promise<string>;
  /** The screen column (cells, as the terminal counts them) where `needle` starts on each row holding it. */
  columnsOf(needle: string): Promise<number[]>;
}

export function fakeTerminal(columns = 80, rows = 40): FakeTerminal {
  const term = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true, convertEol: true });
  let raw = "";
  const draw = (chunk: string) => {
    raw += chunk;
    term.write(chunk);
  };
  const stdout = ttyStream(columns, rows, draw);
  const stderr = ttyStream(columns, rows, draw);
  const drawn = () => new Promise<void>((resolve) => term.write("", resolve));
  const screen = async () => {
    await drawn();
    const buf = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push((buf.getLine(i)?.translateToString(true) ?? "").trimEnd());
    return out;
  };
  return {
    input: new PassThrough(),
    stdout,
    stderr,
    raw: () => raw,
    screen,
    async cursor() {
      await drawn();
      const buf = term.buffer.active;
      return { row: buf.baseY + buf.cursorY, col: buf.cursorX };
    },
    async columnsOf(needle) {
      await drawn();
      const buf = term.buffer.active;
      const cols: number[] = [];
      for (let i = 0; i < buf.length; i++) {
        const line = buf.getLine(i);
        if (!line) continue;
        // Rebuild the row's text remembering the cell each character sits in (a wide character takes two).
        let text = "";
        const cellOf: number[] = [];
        for (let x = 0; x < line.length; x++) {
          const chars = line.getCell(x)?.getChars() ?? "";
          for (let k = 0; k < chars.length; k++) cellOf.push(x);
          text += chars;
        }
        const at = text.indexOf(needle);
        if (at >= 0) cols.push(cellOf[at] as number);
      }
      return cols;
    },
    async text() {
      const rowsNow = await screen();
      let last = rowsNow.length;
      while (last > 0 && !rowsNow[last - 1]) last--;
      return rowsNow.slice(0, last).join("\n");
    },
  };
}
