// The PostgreSQL store's schema: versioned migrations that are a no-op the second time and safe when replicas
// start together, and one clear line for each way opening the database fails.

import { createServer } from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { CyberbriefError } from "../../../src/core/errors.js";
import { migratePg, pgMigrations } from "../../../src/store/pg/migrations.js";
import { openPool, redactUrl } from "../../../src/store/pg/open.js";
import { PgStoryStore } from "../../../src/store/pg/store.js";
import { describePg, freshDatabase } from "../../helpers/pg.js";

const versions = pgMigrations.map((m) => m.version);

describePg("migrations", () => {
  it("apply on a fresh database and are a no-op the second time", async () => {
    const pool = await openPool(await freshDatabase());
    try {
      expect(await migratePg(pool)).toEqual(versions);
      expect(await migratePg(pool)).toEqual([]);
      const tables = await pool.query<{ t: string }>(
        "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.rows.map((r) => r.t)).toEqual(
        expect.arrayContaining(["stories", "story_tags", "tag_counts", "files", "subscriptions", "feeds"]),
      );
      const gin = await pool.query(
        "SELECT 1 FROM pg_indexes WHERE indexname = 'stories_search' AND indexdef ~ 'gin'",
      );
      expect(gin.rowCount).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it("applies each version once when several replicas start at the same time", async () => {
    const url = await freshDatabase();
    const pools = await Promise.all([1, 2, 3].map(() => openPool(url, { max: 2 })));
    try {
      const applied = await Promise.all(pools.map((p) => migratePg(p)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(versions);
      const rows = await pools[0]?.query("SELECT version FROM schema_migrations ORDER BY version");
      expect(rows?.rows.map((r) => r.version)).toEqual(versions);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it("a database that does not exist is one clear line", async () => {
    const url = new URL(await freshDatabase());
    url.pathname = "/cb_no_such_database";
    await expect(PgStoryStore.open(url.toString())).rejects.toThrow(
      /the database in .*cb_no_such_database does not exist: create it/,
    );
  });
});

describe("opening PostgreSQL [no server needed]", () => {
  it("a server that does not listen is one clear line that names the address without the password", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const url = `postgres://cb:secret@127.0.0.1:${port}/cb`;
    const err = await PgStoryStore.open(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CyberbriefError);
    const message = (err as Error).message;
    expect(message).toBe(
      `cannot reach PostgreSQL at postgres://cb:***@127.0.0.1:${port}/cb (ECONNREFUSED): check the host and port in the database URL`,
    );
    expect(message).not.toContain("secret");
  });

  it("redacts passwords and survives text that is no URL", () => {
    expect(redactUrl("postgres://u:p@h:1/d")).toBe("postgres://u:***@h:1/d");
    expect(redactUrl("postgres://h/d")).toBe("postgres://h/d");
    expect(redactUrl("not a url")).toBe("(not a URL)");
    expect(pg.Pool).toBeTypeOf("function");
  });
});
