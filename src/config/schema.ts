// The one configuration schema: defaults from config/default.json, overridden by env, then CLI flags.

import { z } from "zod";

const visibility = z.enum(["private", "public"]);

export const configSchema = z.object({
  seedsDir: z.string().min(1),
  dbPath: z.string().min(1),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  httpPort: z.coerce.number().int().min(0).max(65535).optional(),
  ingest: z.object({
    scanCron: z.string().min(1),
    watch: z.boolean(),
    settleMs: z.number().int().min(0).max(60_000),
    maxFileBytes: z.number().int().positive(),
  }),
  alerts: z.object({
    maxAttempts: z.number().int().min(1).max(100),
    baseRetryMs: z.number().int().min(0),
    maxRetryMs: z.number().int().min(0),
    floodThreshold: z.number().int().min(1),
    floodWindowMs: z.number().int().min(1000),
    sendTimeoutMs: z.number().int().min(100),
  }),
  slack: z.object({
    botToken: z.string().min(1).optional(),
    appToken: z.string().min(1).optional(),
    signingSecret: z.string().min(1).optional(),
    apiUrl: z.url().optional(),
    port: z.coerce.number().int().min(0).max(65535),
    replyVisibility: visibility,
    permissionPolicy: z.enum(["admins", "allowlist", "everyone"]),
    allowList: z.array(z.string()),
  }),
  discord: z.object({
    token: z.string().min(1).optional(),
    applicationId: z.string().min(1).optional(),
    guildId: z.string().min(1).optional(),
    apiUrl: z.url().optional(),
    registerOnStart: z.boolean(),
    replyVisibility: visibility,
  }),
});

export type Config = z.infer<typeof configSchema>;
