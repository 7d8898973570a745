// The one builder for INTERACTION_CREATE payloads; it validates what it builds, because a payload discord.js
// cannot parse (no `entitlements`, say) throws inside its socket handler and kills the test process.

import { randomBytes } from "node:crypto";
import { PermissionFlagsBits } from "discord.js";
import { nextId } from "./fake-discord.js";
import { messagePayload } from "./fake-payloads.js";

/** Typical member permissions in a channel: view and send, nothing more. */
export const MEMBER = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
export const MODERATOR = MEMBER | PermissionFlagsBits.ManageChannels;

export type InteractionSpec = {
  applicationId: string;
  guildId: string;
  channelId: string;
  user?: { id: string; username: string };
  /** The member's resolved permissions in the channel. */
  permissions?: bigint;
  /** Fields to overwrite after building (only to prove the validator catches bad payloads). */
  overrides?: Record<string, unknown>;
} & (
  | { kind: "command"; query?: string }
  | { kind: "autocomplete"; partial: string }
  | { kind: "button"; customId: string }
);

export type InteractionPayload = Record<string, unknown> & { id: string; token: string };

const TYPES = { command: 2, button: 3, autocomplete: 4 } as const;

export function buildInteraction(spec: InteractionSpec): InteractionPayload {
  const user = spec.user ?? { id: "1400000000000000001", username: "analyst" };
  const userObj = {
    id: user.id,
    username: user.username,
    discriminator: "0",
    global_name: null,
    avatar: null,
  };
  const payload: InteractionPayload = {
    id: nextId(),
    token: `itok-${randomBytes(12).toString("hex")}`,
    application_id: spec.applicationId,
    type: TYPES[spec.kind],
    data: dataFor(spec),
    guild_id: spec.guildId,
    channel_id: spec.channelId,
    channel: { id: spec.channelId, type: 0, name: "channel-0", guild_id: spec.guildId },
    member: {
      user: userObj,
      roles: [],
      permissions: String(spec.permissions ?? MEMBER),
      joined_at: "2024-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
      avatar: null,
      premium_since: null,
      pending: false,
      communication_disabled_until: null,
    },
    app_permissions: String(MEMBER | PermissionFlagsBits.EmbedLinks),
    locale: "en-US",
    guild_locale: "en-US",
    version: 1,
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: 8_388_608,
  };
  if (spec.kind === "button") payload.message = ephemeralMessage(spec);
  Object.assign(payload, spec.overrides);
  validateInteraction(payload);
  return payload;
}

function dataFor(spec: InteractionSpec): Record<string, unknown> {
  const command = { id: "1500000000000000001", name: "cyber", type: 1 };
  switch (spec.kind) {
    case "command":
      return {
        ...command,
        options: spec.query === undefined ? [] : [{ type: 3, name: "query", value: spec.query }],
      };
    case "autocomplete":
      return { ...command, options: [{ type: 3, name: "query", value: spec.partial, focused: true }] };
    case "button":
      return { custom_id: spec.customId, component_type: 2 };
  }
}

// The private answer the Share button sits on.
function ephemeralMessage(spec: InteractionSpec & { kind: "button" }): Record<string, unknown> {
  const components = [
    { type: 1, components: [{ type: 2, style: 2, label: "Share", custom_id: spec.customId }] },
  ];
  // Type 20: the reply to a slash command; flags 64: ephemeral.
  const sent = messagePayload({ components, flags: 64 }, spec.channelId, spec.applicationId, nextId());
  return { ...sent, type: 20 };
}

const SNOWFLAKE = /^\d{17,20}$/;

/** Throws listing every problem that would make discord.js (or Discord) reject the payload. */
export function validateInteraction(p: Record<string, unknown>): void {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  need(typeof p.id === "string" && SNOWFLAKE.test(p.id), "id must be a snowflake string");
  need(typeof p.token === "string" && p.token.length > 0, "token must be a non-empty string");
  need(typeof p.application_id === "string" && SNOWFLAKE.test(p.application_id), "application_id snowflake");
  need([2, 3, 4].includes(p.type as number), "type must be 2, 3 or 4");
  need(Array.isArray(p.entitlements), "entitlements must be an array (discord.js reduces over it)");
  const owners = p.authorizing_integration_owners;
  need(typeof owners === "object" && owners !== null, "authorizing_integration_owners must be an object");
  const channel = p.channel as { id?: unknown } | undefined;
  need(channel?.id === p.channel_id, "channel.id must equal channel_id");
  const member = p.member as { user?: { id?: unknown }; permissions?: unknown } | undefined;
  need(typeof member?.user?.id === "string", "member.user.id required");
  need(
    typeof member?.permissions === "string" && /^\d+$/.test(member.permissions),
    "member.permissions bitfield",
  );
  need(typeof p.app_permissions === "string", "app_permissions string");
  const data = p.data as Record<string, unknown> | undefined;
  if (p.type === 3) {
    need(typeof data?.custom_id === "string" && data.custom_id.length <= 100, "data.custom_id (max 100)");
    need(typeof p.message === "object" && p.message !== null, "a component interaction carries its message");
  } else {
    need(data?.name === "cyber" && data?.type === 1, "data must be the chat-input command cyber");
    const focused = ((data?.options ?? []) as Array<{ focused?: boolean }>).filter((o) => o.focused).length;
    need(p.type === 4 ? focused === 1 : focused === 0, "autocomplete has exactly one focused option");
  }
  if (problems.length > 0) throw new Error(`invalid INTERACTION_CREATE payload: ${problems.join("; ")}`);
}
