// The story card, reply and alert every chat test starts from (Slack, Discord and the console alike).

import type { Alert, Reply, StoryCard } from "../../src/chat/types.js";

export const APT40: StoryCard = {
  id: "ab12cd",
  date: "2024-07-09",
  dateEstimated: false,
  title: "APT40 targets government networks",
  summary: "Joint advisory describes APT40 tradecraft against Australian and New Zealand networks.",
  actors: [{ id: "APT40", name: "APT40", alias: "Kryptonite Panda" }],
  countries: [
    { code: "CN", name: "China", roles: ["sponsor"], flag: "🇨🇳" },
    { code: "NZ", name: "New Zealand", roles: ["mentioned"], flag: "🇳🇿" },
  ],
  source: "advisory-apt40.md",
  url: "https://example.org/apt40",
};

/** The APT40 card with some fields changed. */
export const story = (overrides: Partial<StoryCard> = {}): StoryCard => ({ ...APT40, ...overrides });

/** An answer listing the APT40 card, with some fields changed. */
export const reply = (overrides: Partial<Reply> = {}): Reply => ({
  kind: "answer",
  headline: "APT40: 1 story",
  text: ["APT40 is a cyber espionage group."],
  fields: [],
  stories: [APT40],
  private: false,
  ...overrides,
});

export const alertOf = (card: StoryCard = APT40, reason = "subscribed to country:NZ"): Alert => ({
  story: card,
  reason,
});
