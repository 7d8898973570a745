// The PostgreSQL database URL of `migrate` and `copy`: from a flag or CYBERBRIEF_DATABASE_URL, checked to be a
// postgres:// or postgresql:// URL. Messages never repeat the URL: it carries the password.

import { CyberbriefError } from "../core/errors.js";

export const DATABASE_URL_ENV = "CYBERBRIEF_DATABASE_URL";

/** The URL given by `flag` (named `flagName`) or else the environment; undefined when neither sets one. */
export function databaseUrlOf(
  flag: string | undefined,
  flagName: string,
  env: NodeJS.ProcessEnv,
): { url: string; from: string } | undefined {
  const given = flag?.trim();
  if (given) return { url: checkDatabaseUrl(given, flagName), from: flagName };
  const fromEnv = env[DATABASE_URL_ENV]?.trim();
  if (fromEnv) return { url: checkDatabaseUrl(fromEnv, DATABASE_URL_ENV), from: DATABASE_URL_ENV };
  return undefined;
}

/** `url` when it is a PostgreSQL URL with a host; else one line naming where it came from. */
export function checkDatabaseUrl(url: string, from: string): string {
  const usage = "give postgres://user:password@host:5432/database";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CyberbriefError("config/database-url", `${from} is not a URL; ${usage}`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")
    throw new CyberbriefError(
      "config/database-url",
      `${from} must start with postgres:// or postgresql:// (it starts with ${parsed.protocol}//); ${usage}`,
    );
  if (!parsed.hostname) throw new CyberbriefError("config/database-url", `${from} names no host; ${usage}`);
  return url;
}
