// Answers `/cyber` slash commands, their autocomplete and the Share button, through the neutral command layer.

import {
  type APIApplicationCommandOptionChoice,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import { safeHandle } from "../../commands/handler.js";
import { reply as buildReply, isPrivate } from "../../commands/replies.js";
import { formatChannelRef } from "../../core/platform.js";
import type { Logger } from "../../log/logger.js";
import type { ChatCommand, CommandHandler, Reply, Suggestion } from "../types.js";
import { COMMAND_NAME, QUERY_OPTION } from "./commands.js";
import { clip, LIMITS } from "./limits.js";
import { type RenderedMessage, renderReply } from "./render.js";
import { suggestTags } from "./suggest.js";

export const MANAGE_NEEDED = "the Manage Channels permission in this channel";
const SHARE_PREFIX = "cyber:share:";
const NO_MENTIONS = { parse: [] as [] };

export interface InteractionContext {
  handler: CommandHandler;
  visibility: "private" | "public";
  /** Defer (and edit the original later) when the handler has not answered by then; Discord allows 3 s. */
  deferAfterMs: number;
  shares: ShareStore;
  log: Logger;
}

/** Replies kept for their Share button; the button only carries a key. Bounded in size and age. */
export class ShareStore {
  private readonly entries = new Map<string, { reply: Reply; expires: number }>();
  constructor(
    private readonly ttlMs = 60 * 60_000,
    private readonly max = 500,
  ) {}
  put(key: string, reply: Reply): void {
    this.entries.set(key, { reply, expires: Date.now() + this.ttlMs });
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(k);
    }
  }
  get(key: string): Reply | undefined {
    const e = this.entries.get(key);
    if (e && e.expires < Date.now()) this.entries.delete(key);
    return e && e.expires >= Date.now() ? e.reply : undefined;
  }
}

export async function onInteraction(i: Interaction, ctx: InteractionContext): Promise<void> {
  try {
    if (i.isAutocomplete() && i.commandName === COMMAND_NAME) await answerAutocomplete(i, ctx);
    else if (i.isChatInputCommand() && i.commandName === COMMAND_NAME) await answerCommand(i, ctx);
    else if (i.isButton() && i.customId.startsWith(SHARE_PREFIX)) await answerShare(i, ctx);
  } catch (err) {
    // Usually a token that expired (10062 Unknown interaction) because an answer came too late.
    ctx.log.warn({ err, interaction: i.id, type: i.type }, "discord: could not answer an interaction");
  }
}

function toCommand(i: ChatInputCommandInteraction | ButtonInteraction, text: string): ChatCommand {
  const workspace = i.guildId ?? "dm";
  const channel = i.channelId ?? "unknown";
  return {
    platform: "discord",
    workspace,
    channel,
    channelRef: formatChannelRef({ platform: "discord", workspace, channel }),
    user: i.user.id,
    userName: i.user.username,
    text: text.trim(),
    // memberPermissions are the member's resolved permissions in this channel (overwrites included).
    canManageSubscriptions: async () => ({
      allowed: i.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
      needed: MANAGE_NEEDED,
    }),
  };
}

const body = (m: RenderedMessage) => ({
  embeds: m.embeds,
  components: m.components,
  ...(m.files ? { files: m.files } : {}),
  allowedMentions: NO_MENTIONS,
});

async function answerCommand(i: ChatInputCommandInteraction, ctx: InteractionContext): Promise<void> {
  const text = i.options.getString(QUERY_OPTION) ?? "";
  const pending = safeHandle(ctx.handler, toCommand(i, text), ctx.log);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ctx.deferAfterMs, undefined);
  });
  const early = await Promise.race([pending, late]);
  clearTimeout(timer);

  const deferredPrivate = ctx.visibility === "private";
  if (!early) await i.deferReply(deferredPrivate ? { flags: MessageFlags.Ephemeral } : {});
  const reply = early ?? (await pending);
  const forced = isPrivate(reply);
  const asPrivate = forced || ctx.visibility === "private";
  // A Share button on private lookups lets the asker post the same answer to the channel.
  const shareId = asPrivate && !forced && reply.kind === "answer" ? shareKey(i, text) : undefined;
  if (shareId) ctx.shares.put(i.id, reply);
  const message = body(renderReply(reply, shareId));

  if (early) await i.reply({ ...message, ...(asPrivate ? { flags: MessageFlags.Ephemeral } : {}) });
  else if (asPrivate && !deferredPrivate) {
    // Deferred in public, but the answer is an error: a public "thinking…" cannot turn private, so replace it.
    await i.deleteReply();
    await i.followUp({ ...message, flags: MessageFlags.Ephemeral });
  } else await i.editReply(message);
}

/** `cyber:share:<interaction id>:<command text>`: the text only words the "expired" notice. */
function shareKey(i: ChatInputCommandInteraction, text: string): string {
  return `${SHARE_PREFIX}${i.id}:${text}`.slice(0, LIMITS.customId);
}

async function answerShare(i: ButtonInteraction, ctx: InteractionContext): Promise<void> {
  const rest = i.customId.slice(SHARE_PREFIX.length);
  const cut = rest.indexOf(":");
  const key = cut < 0 ? rest : rest.slice(0, cut);
  const text = cut < 0 ? "" : rest.slice(cut + 1);
  const reply = ctx.shares.get(key);
  if (!reply) {
    const expired = buildReply("usage", "This Share button has expired", {
      text: [`Run ${["/cyber", text].filter(Boolean).join(" ")} again to share the answer.`],
    });
    await i.reply({ ...body(renderReply(expired)), flags: MessageFlags.Ephemeral });
    return;
  }
  const footer = [reply.footer, `shared by ${i.user.username}`].filter(Boolean).join(" · ");
  await i.reply(body(renderReply({ ...reply, footer, private: false })));
}

/** Discord's choice limits: 25 choices, name and value 1-100 characters, values unique. */
export function toChoices(suggestions: Suggestion[]): APIApplicationCommandOptionChoice<string>[] {
  const seen = new Set<string>();
  const out: APIApplicationCommandOptionChoice<string>[] = [];
  for (const s of suggestions) {
    // A cut value would run a different query than the one shown, so long values are skipped, not clipped.
    if (s.value.length === 0 || s.value.length > LIMITS.choiceValue || seen.has(s.value)) continue;
    seen.add(s.value);
    out.push({ name: clip(s.label.trim() || s.value, LIMITS.choiceName), value: s.value });
    if (out.length === LIMITS.choices) break;
  }
  return out;
}

async function answerAutocomplete(i: AutocompleteInteraction, ctx: InteractionContext): Promise<void> {
  const partial = String(i.options.getFocused());
  const started = Date.now();
  // A failing command layer still leaves the sector and CVE forms, which need nothing from it.
  const base = (text: string, limit: number): Suggestion[] => {
    try {
      return ctx.handler.suggest(text, limit);
    } catch (err) {
      ctx.log.error({ err, partial }, "discord: suggest failed; answering without its choices");
      return [];
    }
  };
  const suggestions = suggestTags(base, partial, LIMITS.choices);
  const took = Date.now() - started;
  if (took > 500) ctx.log.warn({ partial, took }, "discord: slow autocomplete (Discord allows 3 s)");
  await i.respond(toChoices(suggestions));
}
