// The recognisable fake secrets of the secrets tests, and the pieces of them whose appearance anywhere is a leak.

export const SECRET_BOT_TOKEN = "xoxb-SECRET-BOT-0000";
export const SECRET_SIGNING = "SECRET-SIGNING-1111";
export const SECRET_DISCORD = "MTE-SECRET-DISCORD-2222.Gx.abc";

/** Their distinctive middles: a cut-off or re-encoded secret still contains one. */
export const LEAK_MARKERS = [
  "SECRET-BOT",
  "SECRET-SIGNING",
  "SECRET-DISCORD",
  "BOT-0000",
  "SIGNING-1111",
  "DISCORD-2222",
];
