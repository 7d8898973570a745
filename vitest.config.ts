import { defineConfig } from "vitest/config";

// The slow lane, and the only place that says which tests are in it: tests that install packages, kill
// processes in a loop, ingest 1,000 hostile files, generate 1,000 commands, run the whole bot with its real
// Slack and Discord clients, or start the built CLI a dozen times. Everything else is the fast lane (`npm run
// test:fast`, under a minute on 2 shared cores); `npm test` runs both.
export const SLOW_TESTS = [
  "tests/cli/cli.test.ts", // the built `cyberbrief` binary, one process per case (25-55 s measured)
  "tests/cli/production-layout.test.ts", // npm ci --omit=dev
  "tests/crash/kill-during-delivery.test.ts", // SIGKILL mid-delivery, restart
  "tests/hostile/repeated-kill.test.ts", // 10 SIGKILLs during ingest and delivery
  "tests/hostile/files.test.ts", // 1,000+ hostile files
  "tests/hostile/commands.property.test.ts", // 1,000 generated commands
  "tests/hostile/secrets.test.ts", // `cyberbrief run` with the real Slack and Discord clients
];

export default defineConfig({
  test: {
    // Safety nets against a hang, not speed limits: CI runs three Node versions at once on two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["tests/helpers/build.ts"],
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "fast", include: ["tests/**/*.test.ts"], exclude: SLOW_TESTS } },
      { extends: true, test: { name: "slow", include: SLOW_TESTS } },
    ],
  },
});
