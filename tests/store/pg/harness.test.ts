// The PostgreSQL test harness itself: each test gets its own empty database on the server CI starts.

import pg from "pg";
import { expect, it } from "vitest";
import { describePg, freshDatabase } from "../../helpers/pg.js";

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describePg("the test harness", () => {
  it("gives each call a database of its own, empty, on PostgreSQL 15 or later", async () => {
    const a = await freshDatabase();
    const b = await freshDatabase();
    expect(a).not.toBe(b);
    await query(a, "CREATE TABLE only_in_a (x int)");
    const tables = await query<{ n: string }>(
      b,
      "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'only_in_a'",
    );
    expect(tables[0]?.n).toBe("0");
    const [v] = await query<{ v: string }>(a, "SELECT current_setting('server_version_num') AS v");
    expect(Number(v?.v)).toBeGreaterThanOrEqual(150000);
  });
});
