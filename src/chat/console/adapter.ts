// The console adapter: the embedded default, with a `console:local` channel on stdout and a prompt on a terminal.

import { createInterface, type Interface } from "node:readline";
import type { Logger } from "../../log/logger.js";
import type { ChatAdapter, ChatCommand, CommandHandler, Delivered, Outbound } from "../types.js";
import { renderAlert, renderBatch, renderReply } from "./render.js";

export const CONSOLE_CHANNEL = "console:local";

export interface ConsoleAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  log: Logger;
  /** Show a prompt and read commands (default: when input is a terminal). */
  interactive?: boolean;
  /** Called when the user ends the session (Ctrl-D, `quit`). */
  onQuit?: () => void;
}

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = "console" as const;
  private rl: Interface | null = null;
  private sequence = 0;
  private connected = false;

  constructor(private readonly opts: ConsoleAdapterOptions) {}

  async start(handler: CommandHandler): Promise<void> {
    this.connected = true;
    const interactive = this.opts.interactive ?? (this.opts.input as NodeJS.ReadStream).isTTY === true;
    if (!interactive) return;
    const rl = createInterface({
      input: this.opts.input,
      output: this.opts.output,
      prompt: "cyber> ",
      historySize: 200,
      terminal: (this.opts.output as NodeJS.WriteStream).isTTY === true,
      completer: (line: string) => {
        const partial = line.replace(/^\/?cyber\s*/i, "");
        const hits = handler.suggest(partial, 20).map((s) => `/cyber ${s.value}`);
        return [hits, line];
      },
    });
    this.rl = rl;
    this.opts.output.write('Type /cyber help (or just "help"), a name such as apt40, or Ctrl-D to quit.\n');
    rl.prompt();
    rl.on("line", (line) => {
      void this.onLine(handler, line).finally(() => this.rl?.prompt());
    });
    rl.on("close", () => {
      this.rl = null;
      this.opts.onQuit?.();
    });
  }

  private async onLine(handler: CommandHandler, line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (/^(quit|exit|\\q)$/i.test(text)) {
      this.rl?.close();
      return;
    }
    const reply = await handler.handle(consoleCommand(text));
    this.opts.output.write(renderReply(reply));
  }

  async stop(): Promise<void> {
    const rl = this.rl;
    this.rl = null;
    rl?.removeAllListeners("close");
    rl?.close();
    this.connected = false;
  }

  async deliver(_channelRef: string, message: Outbound): Promise<Delivered> {
    const text =
      message.kind === "alert"
        ? renderAlert(message.alert)
        : message.kind === "batch"
          ? renderBatch(message.alerts, message.reason)
          : message.kind === "update"
            ? // What was printed cannot be edited: one line says the story changed.
              `~ updated [${message.alert.story.id}] ${message.alert.story.title}\n`
            : renderReply(message.reply);
    // Keep the prompt usable: alerts land above it.
    if (this.rl && (this.opts.output as NodeJS.WriteStream).isTTY) this.opts.output.write("\r\x1b[K");
    this.opts.output.write(text);
    this.rl?.prompt(true);
    this.sequence += 1;
    return { messageId: `console-${this.sequence}` };
  }

  isConnected(): boolean {
    return this.connected;
  }
}

/** A console line as a neutral command: the operator at the terminal may change anything. */
export function consoleCommand(text: string): ChatCommand {
  return {
    platform: "console",
    workspace: "local",
    channel: "local",
    channelRef: CONSOLE_CHANNEL,
    user: "console",
    userName: "console",
    text: text.replace(/^\/?cyber\b\s*/i, ""),
    canManageSubscriptions: async () => ({ allowed: true, needed: "" }),
  };
}
