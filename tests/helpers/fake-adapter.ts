// A scriptable ChatAdapter for dispatcher tests: per-channel outcomes, hangs and 429s, every call recorded.

import {
  type ChatAdapter,
  type CommandHandler,
  type Delivered,
  DeliveryError,
  type Outbound,
  type Platform,
} from "../../src/chat/types.js";

export type Step =
  | { kind: "ok" }
  | { kind: "transient"; code?: string; retryAfterMs?: number }
  | { kind: "permanent"; code?: string }
  /** The platform refused the bot's token. */
  | { kind: "auth"; code?: string }
  /** Never answers until `releaseHung()`; the dispatcher's send timeout must free the channel. */
  | { kind: "hang" };

export interface Call {
  channelRef: string;
  message: Outbound;
  at: number;
  outcome: Step["kind"];
  messageId?: string;
}

export class FakeAdapter implements ChatAdapter {
  connected = true;
  /** How often the dispatcher asked isConnected(): proof that it looked, for tests of what must not happen. */
  connectedChecks = 0;
  readonly calls: Call[] = [];
  private readonly scripts = new Map<string, Step[]>();
  private readonly hung: Array<() => void> = [];
  private seq = 0;

  constructor(
    readonly platform: Platform = "console",
    private readonly now: () => number = Date.now,
  ) {}

  /** Queue outcomes for the next calls to a channel ("*" for any channel without its own script); then "ok". */
  script(channelRef: string, ...steps: Step[]): this {
    this.scripts.set(channelRef, [...(this.scripts.get(channelRef) ?? []), ...steps]);
    return this;
  }

  /** Every later call to the channel gets this outcome (a removed bot, a platform outage). */
  always(channelRef: string, step: Step): this {
    this.scripts.set(
      channelRef,
      Array.from({ length: 10_000 }, () => step),
    );
    return this;
  }

  clear(channelRef: string): void {
    this.scripts.delete(channelRef);
  }

  async start(_handler: CommandHandler): Promise<void> {
    this.connected = true;
  }

  async stop(): Promise<void> {
    this.connected = false;
  }

  isConnected(): boolean {
    this.connectedChecks += 1;
    return this.connected;
  }

  async deliver(channelRef: string, message: Outbound): Promise<Delivered> {
    const queue = this.scripts.get(channelRef) ?? this.scripts.get("*");
    const step: Step = queue?.shift() ?? { kind: "ok" };
    const call: Call = { channelRef, message, at: this.now(), outcome: step.kind };
    this.calls.push(call);
    switch (step.kind) {
      case "ok":
        call.messageId = `m${++this.seq}`;
        return { messageId: call.messageId };
      case "transient":
        throw new DeliveryError(
          "transient",
          step.code ?? "http_503",
          "scripted transient failure",
          step.retryAfterMs,
        );
      case "permanent":
        throw new DeliveryError("permanent", step.code ?? "channel_not_found", "scripted permanent failure");
      case "auth":
        throw new DeliveryError("auth", step.code ?? "token_revoked", "scripted token refusal");
      case "hang":
        return new Promise<Delivered>((resolve) => {
          this.hung.push(() => resolve({ messageId: `late${++this.seq}` }));
        });
    }
  }

  releaseHung(): void {
    for (const r of this.hung.splice(0)) r();
  }

  /** Successful posts, in order. */
  delivered(channelRef?: string): Call[] {
    return this.calls.filter((c) => c.outcome === "ok" && (!channelRef || c.channelRef === channelRef));
  }

  /** Story ids a channel was shown, across alerts and summaries (a summary shows only the stories it lists). */
  storyIds(channelRef: string): string[] {
    return this.delivered(channelRef).flatMap((c) => {
      if (c.message.kind === "alert") return [c.message.alert.story.id];
      if (c.message.kind === "batch") return c.message.alerts.map((a) => a.story.id);
      return [];
    });
  }
}
