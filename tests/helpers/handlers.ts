// Command handlers for adapter tests that are not about answers: one that always throws, and cleanups per test.

import { afterEach } from "vitest";
import type { CommandHandler } from "../../src/chat/types.js";

/** Throws "handler exploded" on every command, as a buggy or foreign handler would. */
export const throwingHandler: CommandHandler = {
  handle: async () => {
    throw new Error("handler exploded");
  },
  suggest: () => [],
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of cleanups.splice(0).reverse()) await stop();
});

/** Runs `stop` after the current test, latest first (an adapter before the fake server it talks to). */
export function afterTest(stop: () => Promise<void>): void {
  cleanups.push(stop);
}
