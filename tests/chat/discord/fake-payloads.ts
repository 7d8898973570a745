// What the fake Discord answers and checks: planned failures, guild payloads, Discord's message limits.

export type PlannedResponse = { status: number; body?: unknown; headers?: Record<string, string> } | "hang";

export interface PlanStep {
  method?: string;
  path: RegExp;
  /** How many matching requests get this answer (default 1). */
  times?: number;
  respond: PlannedResponse;
}

export interface FakeGuild {
  id: string;
  name?: string;
  channels: string[];
}

/** Canned failure answers, shaped like Discord's. */
export const failures = {
  rateLimited: (seconds: number, global = false): PlannedResponse => ({
    status: 429,
    body: { message: "You are being rate limited.", retry_after: seconds, global },
    headers: { "Retry-After": String(seconds), ...(global ? { "X-RateLimit-Global": "true" } : {}) },
  }),
  api: (status: number, code: number, message: string): PlannedResponse => ({
    status,
    body: { code, message },
  }),
  server: (status = 503): PlannedResponse => ({ status, body: { message: "Service Unavailable", code: 0 } }),
  hang: "hang" as PlannedResponse,
};

export function invalid(problems: string[]): [number, unknown] {
  return [400, { code: 50035, message: "Invalid Form Body", errors: problems }];
}

export function guildPayload(g: FakeGuild, botUserId: string): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name ?? "Guild",
    unavailable: false,
    owner_id: "1100000000000000999",
    joined_at: new Date().toISOString(),
    member_count: 2,
    large: false,
    features: [],
    channels: g.channels.map((id, i) => ({
      id,
      type: 0,
      name: `channel-${i}`,
      position: i,
      permission_overwrites: [],
    })),
    roles: [
      {
        id: g.id,
        name: "@everyone",
        permissions: "3072",
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
      },
    ],
    members: [],
    emojis: [],
    stickers: [],
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    application_id: null,
    system_channel_id: null,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    premium_tier: 0,
    preferred_locale: "en-US",
    nsfw_level: 0,
    icon: null,
    splash: null,
    banner: null,
    description: null,
    vanity_url_code: null,
    bot_user_id: botUserId,
  };
}

type Embed = {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
  author?: { name: string };
};

/** Discord's message limits; a message over any of them is answered 400 / 50035. */
export function checkMessage(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const over = (what: string, s: string | undefined, max: number) => {
    if (s !== undefined && s.length > max) out.push(`${what} is ${s.length} > ${max}`);
  };
  over("content", body.content as string | undefined, 2000);
  const embeds = (body.embeds ?? []) as Embed[];
  if (embeds.length > 10) out.push(`${embeds.length} embeds > 10`);
  let total = 0;
  embeds.forEach((e, i) => {
    over(`embeds[${i}].title`, e.title, 256);
    over(`embeds[${i}].description`, e.description, 4096);
    over(`embeds[${i}].footer`, e.footer?.text, 2048);
    over(`embeds[${i}].author`, e.author?.name, 256);
    if ((e.fields?.length ?? 0) > 25) out.push(`embeds[${i}] has ${e.fields?.length} fields > 25`);
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0);
    total += (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    for (const [j, f] of (e.fields ?? []).entries()) {
      over(`embeds[${i}].fields[${j}].name`, f.name, 256);
      over(`embeds[${i}].fields[${j}].value`, f.value, 1024);
      if (!f.name || !f.value) out.push(`embeds[${i}].fields[${j}] is empty`);
      total += f.name.length + f.value.length;
    }
  });
  if (total > 6000) out.push(`embeds total ${total} > 6000`);
  const rows = (body.components ?? []) as Array<{
    components: Array<{ custom_id?: string; label?: string }>;
  }>;
  for (const row of rows) {
    for (const c of row.components) {
      over("custom_id", c.custom_id, 100);
      over("button label", c.label, 80);
    }
  }
  return out;
}

export function checkChoices(data: Record<string, unknown> | undefined): string[] {
  const choices = (data?.choices ?? []) as Array<{ name: string; value: string }>;
  const out = choices.length > 25 ? [`${choices.length} choices > 25`] : [];
  for (const c of choices) {
    if (c.name.length < 1 || c.name.length > 100) out.push(`choice name length ${c.name.length}`);
    if (String(c.value).length > 100) out.push(`choice value length ${String(c.value).length}`);
  }
  return out;
}

/** A message as Discord returns it after a post. */
export function messagePayload(
  body: Record<string, unknown>,
  channel: string,
  botUserId: string,
  id: string,
): Record<string, unknown> & { id: string; channel_id: string } {
  const author = {
    id: botUserId,
    username: "cyberbrief",
    discriminator: "0",
    avatar: null,
    bot: true,
  };
  const sent = {
    id,
    channel_id: channel,
    author,
    content: body.content ?? "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: 0,
    flags: body.flags ?? 0,
  };
  return sent;
}

/**
 * GET /channels/{id}/messages: the channel's messages newest first (ids are snowflakes, so by id), `limit` of
 * them (default 50, 1 to 100; outside that Discord answers 400 / 50035).
 */
export function listMessages(
  messages: ReadonlyMap<string, Record<string, unknown> & { channel_id: string }>,
  channel: string,
  query: URLSearchParams,
): [number, unknown] {
  const limit = Number(query.get("limit") ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid([`limit ${query.get("limit")}`]);
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    BigInt(String(b.id)) > BigInt(String(a.id)) ? 1 : -1;
  const list = [...messages.values()].filter((m) => m.channel_id === channel).sort(byId);
  return [200, list.slice(0, limit)];
}
