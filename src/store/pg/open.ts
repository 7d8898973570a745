// Opens a connection pool to PostgreSQL for the store, with one clear line for each way connecting fails, and
// runs work in a transaction on one pooled connection.

import pg from "pg";
import { CyberbriefError, errorMessage } from "../../core/errors.js";

/** int8 (counts, sizes, epoch milliseconds) as JavaScript numbers: every value the store keeps fits in 2^53. */
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 && format !== "binary"
      ? (text: string) => Number(text)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(not a URL)";
  }
}

/** One line for the ways connecting fails in the field; anything else keeps the server's own words. */
function connectProblem(url: string, err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const where = redactUrl(url);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return `cannot reach PostgreSQL at ${where} (${String(code)}): check the host and port in the database URL`;
  if (code === "28P01" || code === "28000")
    return `PostgreSQL refused the login for ${where}: check the user and password in the database URL`;
  if (code === "3D000")
    return `the database in ${where} does not exist: create it (createdb) or fix the name in the database URL`;
  return `cannot open the PostgreSQL database ${where}: ${errorMessage(err)}`;
}

export interface PgOptions {
  /** Connections at most (default 10). */
  max?: number;
}

/** A pool on `url`, checked by one round trip so a wrong URL fails here with one line. */
export async function openPool(url: string, opts: PgOptions = {}): Promise<pg.Pool> {
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types });
  } catch (err) {
    throw new CyberbriefError("store/open", connectProblem(url, err), { cause: err });
  }
  // An idle connection the server drops (restart, network) is replaced on next use; without a listener its
  // error event would end the process.
  pool.on("error", () => {});
  try {
    await pool.query("SELECT 1");
  } catch (err) {
    await pool.end().catch(() => {});
    throw new CyberbriefError("store/open", connectProblem(url, err), { cause: err });
  }
  return pool;
}

/** What runs inside a transaction: one connection's queries. */
export type Tx = Pick<pg.PoolClient, "query">;

/** `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await work(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
