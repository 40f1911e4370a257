import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { matchedRoutes } from "hono/route";
import { AppError } from "@crm-reco/core";
import { hasRole, type Role } from "../auth/credentials.ts";
import { actorFromApiKey, actorFromSession, type Actor } from "../auth/users.ts";
import type { AppEnv } from "./app-env.ts";
import type { ReadCache } from "./read-cache.ts";

export const SESSION_COOKIE = "crm_session";
export const CSRF_HEADER = "x-csrf-token";

/** Methods that read only (RFC 9110 "safe"): the others need a CSRF token and change data. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** Routes anyone may call: signing in, and the API's own description. */
const PUBLIC = new Set(["POST /api/auth/sign-in", "GET /api/openapi.json"]);

/**
 * Who is calling: a session cookie (the web app) or `Authorization: Bearer crk_…` (an API key for
 * the estate's other tools). Cookie-authenticated writes must carry the session's CSRF token in
 * X-CSRF-Token (a form on another site can send the cookie, never the header).
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (PUBLIC.has(`${c.req.method} ${c.req.path}`)) return next();
  // No API route of that method and path: let the 404 answer (middleware and the API's fallback
  // are "ALL"; the web app's index.html fallback is "*").
  const isRoute = matchedRoutes(c).some(
    (r) => r.method !== "ALL" && r.path.startsWith("/api/") && !r.path.endsWith("*"),
  );
  if (!isRoute) return next();
  const { db, clock, readCache } = c.get("services");
  const now = clock.now();
  const bearer = c.req.header("authorization")?.match(/^Bearer\s+(crk_\S+)$/i)?.[1];
  let actor: Actor | null = null;
  if (bearer)
    actor = await knownCaller(readCache, `api key ${bearer}`, now, () =>
      actorFromApiKey(db.db, bearer, now),
    );
  else {
    // Kept by the whole Cookie header, which names the session: no parsing when it is known.
    const cookies = c.req.header("cookie");
    if (cookies)
      actor = await knownCaller(readCache, `cookies ${cookies}`, now, async () => {
        const token = getCookie(c, SESSION_COOKIE);
        return token ? actorFromSession(db.db, token, now) : null;
      });
    if (actor && !SAFE_METHODS.has(c.req.method)) {
      if (c.req.header(CSRF_HEADER) !== actor.csrfToken)
        throw new AppError(
          "auth.forbidden",
          "Missing or wrong X-CSRF-Token header (sign in again if the page is old).",
        );
    }
  }
  if (!actor) throw new AppError("auth.unauthenticated", "Sign in, or send a valid API key.");
  c.set("actor", actor);
  c.get("log").debug({ tenantId: actor.tenantId, userId: actor.userId }, "authenticated");
  return next();
};

/**
 * Who a credential is, from the read cache while nothing was written since it was last read
 * (signing out, revoking a key or changing a role writes, so it is never answered from before).
 * An entry lives a minute at most, so an API key's "last used" stays within two minutes.
 * Keyed by the credential itself, which this process holds while it answers anyway: hashing it on
 * every request cost more than the rest of the lookup.
 */
async function knownCaller(
  cache: ReadCache | undefined,
  key: string,
  now: Date,
  read: () => Promise<Actor | null>,
): Promise<Actor | null> {
  if (!cache) return read();
  const actor = await cache.shared(key, async () => {
    const found = await read();
    return found ? { value: found, size: 256 } : undefined;
  });
  // A session that ended since it was read: what the database would now say.
  if (!actor || (actor.expiresAt && actor.expiresAt <= now)) return null;
  return actor;
}

/** Refuses the request unless the caller has at least this role. */
export function requireRole(c: Context<AppEnv>, role: Role): Actor {
  const actor = c.get("actor");
  if (!hasRole(actor.role, role))
    throw new AppError("auth.forbidden", `This needs the ${role} role (you are ${actor.role}).`);
  return actor;
}
