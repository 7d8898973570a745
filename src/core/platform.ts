// The chat platforms and the one written form of a channel reference ("slack:T1/C2"), with its parse and format.

export type Platform = "slack" | "discord" | "console";

/**
 * A channel on a platform. Slack: team id and channel id; Discord: guild id (or "dm") and channel id. The console
 * has one workspace, `local`, so its written form names only the channel: "console:local".
 */
export interface ChannelRef {
  platform: Platform;
  workspace: string;
  channel: string;
}

/** The console's only workspace. */
export const CONSOLE_WORKSPACE = "local";

// One part of a reference: no slash, no whitespace, not empty.
const PART = "[^/\\s]+";
const WITH_WORKSPACE = new RegExp(`^(slack|discord):(${PART})/(${PART})$`);
const CONSOLE = new RegExp(`^console:(${PART})$`);

/**
 * "slack:T1/C2" → { platform: "slack", workspace: "T1", channel: "C2" }; "console:local" → the console channel
 * "local". Undefined for anything else ("slack:T1", "slack:/C2", "C2", "teams:T1/C2"). Platform-specific rules
 * (a Discord channel id is digits) are the adapter's to check.
 */
export function parseChannelRef(text: string): ChannelRef | undefined {
  const m = WITH_WORKSPACE.exec(text);
  if (m) return { platform: m[1] as "slack" | "discord", workspace: m[2] as string, channel: m[3] as string };
  const c = CONSOLE.exec(text);
  if (c) return { platform: "console", workspace: CONSOLE_WORKSPACE, channel: c[1] as string };
  return undefined;
}

/** The written form `parseChannelRef` reads: "slack:T1/C2", "discord:G1/123", "console:local". */
export function formatChannelRef(ref: ChannelRef): string {
  return ref.platform === "console"
    ? `console:${ref.channel}`
    : `${ref.platform}:${ref.workspace}/${ref.channel}`;
}
