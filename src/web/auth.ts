// Access to the web pages: a bearer token or a login form's HttpOnly, SameSite=Strict cookie, compared in
// constant time; no token configured means loopback only (the config refuses anything else).

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";

export const SESSION_COOKIE = "cyberbrief_session";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Equal texts, compared without leaking where they differ (both hashed first, so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The cookie's value: derived from the token, so changing the token signs every browser out. */
export const sessionValue = (token: string): string =>
  createHmac("sha256", token).update("cyberbrief web session v1").digest("base64url");

/** Whether the request carries the token (as a bearer) or a session cookie made from it. */
export function authorised(c: Context, token: string | undefined): boolean {
  if (!token) return true;
  const header = c.req.header("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer !== undefined) return sameSecret(bearer, token);
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

/** Only a path on this site may be returned to after signing in ("/x", never "//host" or "https://…"). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}
