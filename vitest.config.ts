import { defineConfig } from "vitest/config";

// The slow lane, and the only place that says which tests are in it: tests that install packages, kill
// processes in a loop, ingest 1,000 hostile files, generate 1,000 commands, run the whole bot with its real
// Slack and Discord clients, or start the built CLI a dozen times. Everything else is the fast lane (`npm run
// test:fast`, 59 s measured on an idle 2-core machine); `npm test` runs both.
export const SLOW_TESTS = [
  "tests/cli/cli.test.ts", // the built `cyberbrief` binary, one process per case (25-55 s measured)
  "tests/cli/production-layout.test.ts", // npm ci --omit=dev
  "tests/crash/kill-during-delivery.test.ts", // SIGKILL mid-delivery, restart
  "tests/crash/kill-during-digest.test.ts", // SIGKILL while a digest is being posted, restart
  "tests/hostile/repeated-kill.test.ts", // 10 SIGKILLs during ingest and delivery
  "tests/hostile/files.test.ts", // 1,000+ hostile files
  "tests/hostile/commands.property.test.ts", // 1,000 generated commands
  "tests/hostile/secrets.test.ts", // `cyberbrief run` with the real Slack and Discord clients
  "tests/cli/errors.test.ts", // the built CLI, one process per bad input (18 s measured)
  "tests/cli/export.test.ts", // the built CLI's export, one process per case, and a running bot
  "tests/cli/feeds.test.ts", // the built CLI's feed commands, one process per case, and a running bot
  "tests/cli/pg-copy.test.ts", // the built CLI's migrate and copy, one process per case (20 s)
  "tests/cli/run-process.test.ts", // `cyberbrief run` processes: lock, SIGHUP, SIGKILL (13 s)
  "tests/crash/pg-chaos.test.ts", // three `cyberbrief run` replicas on PostgreSQL, ten SIGKILLs (50-150 s)
  "tests/cli/postgres.test.ts", // the built CLI on PostgreSQL, and three `cyberbrief run` replicas on one database
  "tests/integration/revisions.test.ts", // whole bots with fake Slack and Discord (8 s)
  "tests/integration/unreachable-at-start.test.ts", // whole bots, platforms brought up later (7 s)
  "tests/integration/token-revoked.test.ts", // whole bots, restarted with a good token (4 s)
  "tests/integration/feeds-run.test.ts", // `cyberbrief run` polling a local feed, restarted
  "tests/integration/flood-summary.test.ts", // 2,000 stories through the real Slack and Discord clients
  "tests/web/browser.test.ts", // the web pages in Debian's Chromium, axe-core on each (13 s)
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
