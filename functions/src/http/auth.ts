import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { matchedRoutes } from "hono/route";
import { AppError } from "@crm-reco/core";
import { hasRole, type Role } from "../auth/credentials.ts";
import { actorFromApiKey, actorFromSession, type Actor } from "../auth/users.ts";
import type { AppEnv } from "./app-env.ts";

export const SESSION_COOKIE = "crm_session";
export const CSRF_HEADER = "x-csrf-token";

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
  const { db, clock } = c.get("services");
  const now = clock.now();
  const bearer = c.req.header("authorization")?.match(/^Bearer\s+(crk_\S+)$/i)?.[1];
  let actor: Actor | null = null;
  if (bearer) actor = await actorFromApiKey(db.db, bearer, now);
  else {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) actor = await actorFromSession(db.db, token, now);
    if (actor && !["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
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

/** Refuses the request unless the caller has at least this role. */
export function requireRole(c: Context<AppEnv>, role: Role): Actor {
  const actor = c.get("actor");
  if (!hasRole(actor.role, role))
    throw new AppError("auth.forbidden", `This needs the ${role} role (you are ${actor.role}).`);
  return actor;
}
