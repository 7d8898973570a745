// PostgreSQL for tests: the server's URL from CYBERBRIEF_TEST_DATABASE_URL (scripts/ci/postgres.sh starts one),
// a fresh database per test, and a visible verdict when there is none: the PostgreSQL tests did not run.

import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";

/** The server tests use: a superuser URL (scripts/ci/postgres.sh prints one). */
export const PG_URL_ENV = "CYBERBRIEF_TEST_DATABASE_URL";
/** Set to 1 (CI: scripts/ci/lanes.sh) to make a missing server a failure instead of a notice. */
export const PG_REQUIRE_ENV = "CYBERBRIEF_REQUIRE_PG";

const serverUrl = process.env[PG_URL_ENV]?.trim() || undefined;
const required = process.env[PG_REQUIRE_ENV] === "1";

/** Whether the PostgreSQL tests run in this process. */
export const pgAvailable = serverUrl !== undefined;

const made: string[] = [];

/** The URL of `url` with another database name. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * A new empty database for this test, dropped after it (connections still open are cut: WITH (FORCE)).
 * Only inside `describePg`, where a server is known to be there.
 */
export async function freshDatabase(): Promise<string> {
  if (!serverUrl) throw new Error(`${PG_URL_ENV} is not set`);
  const name = `cb_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  made.push(name);
  return withDatabase(serverUrl, name);
}

afterEach(async () => {
  const names = made.splice(0);
  if (names.length === 0) return;
  await admin(async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
});

/** Why the PostgreSQL tests of this file did not run, in one line. */
export const pgSkipReason = `${PG_URL_ENV} is not set: no PostgreSQL server for these tests (start one with scripts/ci/postgres.sh run -- npx vitest run ...)`;

/**
 * `describe` for tests that need PostgreSQL. With a server, the suite runs. Without one, a single test stands in
 * for it and says so in its name: it passes on a developer's machine, and fails where CYBERBRIEF_REQUIRE_PG=1
 * (CI), so the PostgreSQL tests can never be silently absent there.
 */
export function describePg(name: string, body: () => void): void {
  if (pgAvailable) {
    describe(`${name} [PostgreSQL]`, body);
    return;
  }
  describe(`${name} [PostgreSQL]`, () => {
    it(`did NOT run: ${pgSkipReason}`, () => {
      console.warn(`${name} [PostgreSQL] did NOT run: ${pgSkipReason}`);
      if (required)
        expect.fail(`${PG_REQUIRE_ENV}=1 but ${PG_URL_ENV} is not set: the PostgreSQL tests must run here`);
      expect(pgAvailable).toBe(false);
    });
  });
}
