// Prometheus metrics through prom-client: what an operator graphs and alerts on.

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Counters } from "../alerts/send.js";
import type { ChatAdapter, Platform } from "../chat/types.js";

export interface MetricSources {
  /** Pending rows in the outbox, read at scrape time. */
  outboxDepth: () => Promise<number>;
  adapters: () => ChatAdapter[];
}

export class Metrics {
  readonly registry = new Registry();
  private readonly stories = new Counter({
    name: "cyberbrief_stories_ingested_total",
    help: "Stories stored, by kind (new or revised).",
    labelNames: ["kind"],
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: "cyberbrief_files_rejected_total",
    help: "Article files rejected, by reason.",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: "cyberbrief_deliveries_total",
    help: "Alert deliveries by platform and result (sent, retried, failed), counted per story.",
    labelNames: ["platform", "result"],
    registers: [this.registry],
  });
  private readonly feedPolls = new Counter({
    name: "cyberbrief_feed_polls_total",
    help: "Feed polls by result: ok (a new answer), not-modified (304) or failed.",
    labelNames: ["result"],
    registers: [this.registry],
  });
  private readonly commands = new Histogram({
    name: "cyberbrief_command_duration_seconds",
    help: "Time to answer a /cyber command, by intent.",
    labelNames: ["intent"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: "cyberbrief_" });
    new Gauge({
      name: "cyberbrief_outbox_depth",
      help: "Deliveries waiting to be sent.",
      registers: [this.registry],
      async collect() {
        this.set(await sources.outboxDepth());
      },
    });
    new Gauge({
      name: "cyberbrief_adapter_connected",
      help: "1 when the chat adapter is connected, by platform.",
      labelNames: ["platform"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const a of sources.adapters()) this.set({ platform: a.platform }, a.isConnected() ? 1 : 0);
      },
    });
  }

  storyStored(kind: string): void {
    this.stories.inc({ kind });
  }

  feedPolled(result: "ok" | "not-modified" | "failed"): void {
    this.feedPolls.inc({ result });
  }

  fileRejected(reason: string): void {
    this.rejected.inc({ reason });
  }

  delivery(platform: Platform, key: keyof Counters, n: number): void {
    const result =
      key === "sent" ? "sent" : key === "retried" ? "retried" : key === "failed" ? "failed" : null;
    if (result) this.deliveries.inc({ platform, result }, n);
  }

  command(intent: string, seconds: number): void {
    this.commands.observe({ intent }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
