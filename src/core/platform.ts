// The chat platforms cyberbrief talks to: a word every layer shares, so it lives at the bottom.

export type Platform = "slack" | "discord" | "console";
