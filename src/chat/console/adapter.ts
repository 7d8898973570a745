// The console adapter: the embedded default, with a `console:local` channel on stdout and a prompt on a terminal.

import { createInterface, type Interface } from "node:readline";
import { safeHandle } from "../../commands/handler.js";
import { type ChannelRef, CONSOLE_WORKSPACE, formatChannelRef } from "../../core/platform.js";
import type { Logger } from "../../log/logger.js";
import type { ChatAdapter, ChatCommand, CommandHandler, Delivered, Outbound, Reply } from "../types.js";
import { Prompt, type PromptGuard } from "./above-prompt.js";
import { chartLines, saveChart } from "./chart.js";
import { renderAlert, renderBatch, renderDigest, renderReply, renderSource, renderUpdate } from "./render.js";
import { terminalSafe, widthFor } from "./text.js";

/** The console's one channel, in its one workspace. */
const LOCAL: ChannelRef = { platform: "console", workspace: CONSOLE_WORKSPACE, channel: "local" };
export const CONSOLE_CHANNEL = formatChannelRef(LOCAL);

export interface ConsoleAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  log: Logger;
  /** Show a prompt and read commands (default: when input is a terminal). */
  interactive?: boolean;
  /** Called when the user ends the session (Ctrl-D, `quit`). */
  onQuit?: () => void;
  /** The logger's stream (a ConsoleLogSink): log lines are printed above the prompt while it is shown. */
  logSink?: { attach(guard: PromptGuard): () => void };
  /** Where chart replies' PNGs are saved: the `charts` folder beside the database (main/adapters.ts). */
  chartsDir?: string;
}

/** A reply as the console prints it: a chart is saved in `chartsDir` and its path printed with its counts. */
export function consoleReplyText(reply: Reply, width: number, chartsDir = "charts"): string {
  const chart = reply.image ? chartLines(reply.image, saveChart(chartsDir, reply.image)) : [];
  return renderReply(reply, width, chart);
}

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = "console" as const;
  private rl: Interface | null = null;
  private sequence = 0;
  private connected = false;
  private prompt: Prompt | null = null;
  private detachLog: (() => void) | null = null;

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
    const prompt = new Prompt(rl, this.opts.output);
    this.prompt = prompt;
    this.opts.output.write('Type /cyber help (or just "help"), a name such as apt40, or Ctrl-D to quit.\n');
    prompt.show();
    if ((this.opts.output as NodeJS.WriteStream).isTTY)
      this.detachLog = this.opts.logSink?.attach(prompt) ?? null;
    rl.on("line", (line) => {
      prompt.hide();
      void this.onLine(handler, line).finally(() => {
        if (this.rl) prompt.show();
      });
    });
    rl.on("close", () => {
      prompt.close();
      this.rl = null;
      this.detach();
      this.opts.onQuit?.();
    });
  }

  private detach(): void {
    this.detachLog?.();
    this.detachLog = null;
    this.prompt = null;
  }

  private width(): number {
    return widthFor((this.opts.output as NodeJS.WriteStream).columns);
  }

  private async onLine(handler: CommandHandler, line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (/^(quit|exit|\\q)$/i.test(text)) {
      this.rl?.close();
      return;
    }
    const reply = await safeHandle(handler, consoleCommand(text), this.opts.log);
    this.opts.output.write(terminalSafe(consoleReplyText(reply, this.width(), this.opts.chartsDir)));
  }

  async stop(): Promise<void> {
    const rl = this.rl;
    this.rl = null;
    rl?.removeAllListeners("close");
    rl?.close();
    this.detach();
    this.connected = false;
  }

  async deliver(_channelRef: string, message: Outbound): Promise<Delivered> {
    const width = this.width();
    const text =
      message.kind === "alert"
        ? renderAlert(message.alert, width)
        : message.kind === "batch"
          ? renderBatch(message.alerts, message.reason, width, message.total, message.top)
          : message.kind === "update"
            ? renderUpdate(message.alert, width)
            : message.kind === "source"
              ? renderSource(message, width)
              : message.kind === "digest"
                ? renderDigest(message.digest, width)
                : consoleReplyText(message.reply, width, this.opts.chartsDir);
    // Keep the prompt usable: alerts land above it, and what the user was typing is drawn again below.
    if (this.prompt) this.prompt.printAbove(terminalSafe(text));
    else this.opts.output.write(terminalSafe(text));
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
    workspace: LOCAL.workspace,
    channel: LOCAL.channel,
    channelRef: CONSOLE_CHANNEL,
    user: "console",
    userName: "console",
    text: text.replace(/^\/?cyber\b\s*/i, ""),
    canManageSubscriptions: async () => ({ allowed: true, needed: "" }),
  };
}
