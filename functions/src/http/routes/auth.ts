import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AppError } from "@crm-reco/core";
import { roles } from "../../auth/credentials.ts";
import { createKnownAddresses, createSignInLimiter } from "../../auth/sign-in-limiter.ts";
import {
  checkPassword,
  closeSession,
  createApiKey,
  createUser,
  openSession,
  SESSION_DAYS,
} from "../../auth/users.ts";
import { apiKeys, tenants, users } from "../../db/schema/index.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { requireRole, SESSION_COOKIE } from "../auth.ts";
import { errorResponse, IdParam, json, notFound, refusals, security, jsonBody } from "./shared.ts";

const Role = z.enum(roles);
const Me = z
  .object({
    email: z.string().nullable(),
    role: Role,
    estate: z.object({ slug: z.string(), name: z.string() }),
    /** Echo it in X-CSRF-Token on every write made with the session cookie. */
    csrfToken: z.string().nullable(),
    /** The language this person chose in the web app (null for an API key). */
    locale: z.enum(["fr", "en"]).nullable(),
  })
  .openapi("Me");

const setLocale = createRoute({
  method: "put",
  path: "/api/auth/me/locale",
  tags: ["auth"],
  summary: "Remember the caller's language for the web app, on every device they sign in from",
  security,
  request: {
    body: jsonBody(z.object({ locale: z.enum(["fr", "en"]) })),
  },
  responses: { 204: { description: "Remembered" }, ...refusals },
});

const signIn = createRoute({
  method: "post",
  path: "/api/auth/sign-in",
  tags: ["auth"],
  summary: "Sign in with email and password: sets an HttpOnly session cookie",
  request: {
    body: jsonBody(
      z.object({
        email: z.string().min(3).max(320),
        password: z.string().min(1).max(1000),
        estate: z
          .string()
          .min(1)
          .max(100)
          .default("default")
          .openapi({ description: "The estate's slug" }),
      }),
    ),
  },
  responses: {
    200: json(Me, "Signed in"),
    400: refusals[400],
    401: refusals[401],
    429: errorResponse("Too many failed sign-ins: wait and retry"),
  },
});

const signOut = createRoute({
  method: "post",
  path: "/api/auth/sign-out",
  tags: ["auth"],
  summary: "Sign out: ends the session",
  security,
  responses: { 204: { description: "Signed out" }, ...refusals },
});

const me = createRoute({
  method: "get",
  path: "/api/auth/me",
  tags: ["auth"],
  summary: "Who is calling",
  security,
  responses: { 200: json(Me, "The caller"), ...refusals },
});

const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    role: Role,
    active: z.boolean(),
    lastSignInAt: z.string().nullable(),
  })
  .openapi("User");
const listUsers = createRoute({
  method: "get",
  path: "/api/users",
  tags: ["auth"],
  summary: "The estate's users (admin)",
  security,
  responses: { 200: json(z.object({ items: z.array(User) }), "Users"), ...refusals },
});
const addUser = createRoute({
  method: "post",
  path: "/api/users",
  tags: ["auth"],
  summary: "Add a user (admin)",
  security,
  request: {
    body: jsonBody(
      z.object({
        email: z.email(),
        password: z.string().min(12).max(1000),
        role: Role,
        name: z.string().max(200).optional(),
      }),
    ),
  },
  responses: {
    201: json(User, "Created"),
    409: errorResponse("That email already has an account"),
    ...refusals,
  },
});

const ApiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    role: Role,
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");
const listKeys = createRoute({
  method: "get",
  path: "/api/api-keys",
  tags: ["auth"],
  summary: "API keys (admin): names and prefixes, never the keys",
  security,
  responses: { 200: json(z.object({ items: z.array(ApiKey) }), "API keys"), ...refusals },
});
const addKey = createRoute({
  method: "post",
  path: "/api/api-keys",
  tags: ["auth"],
  summary: "Create an API key (admin): the key is shown in this response only",
  security,
  request: {
    body: jsonBody(z.object({ name: z.string().min(1).max(100), role: Role })),
  },
  responses: {
    201: json(ApiKey.extend({ key: z.string() }), "Created: store the key now"),
    ...refusals,
  },
});
const revokeKey = createRoute({
  method: "delete",
  path: "/api/api-keys/{id}",
  tags: ["auth"],
  summary: "Revoke an API key (admin)",
  security,
  request: { params: IdParam },
  responses: { 204: { description: "Revoked" }, ...refusals, ...notFound },
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const keyView = (k: typeof apiKeys.$inferSelect) => ({
  id: k.id,
  name: k.name,
  prefix: `crk_${k.prefix}`,
  role: k.role,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

/**
 * One line per refused sign-in, which fail2ban's `crm-reco-sign-in` filter matches to ban an
 * address that keeps failing (stacks/vps/fail2ban). The address is what Nginx saw (it overwrites
 * X-Forwarded-For); the e-mail tried is never logged. Keep the fields and their order in step
 * with the filter: functions/src/vps/fail2ban.test.ts checks them on a real line.
 */
function logSignInFailure(c: Context<AppEnv>, client: string, reason: string) {
  c.get("log").warn({ event: "auth.sign_in_failed", client, reason }, "sign-in refused");
}

const tenantSlugKey = (estate: string) => estate.trim().toLowerCase();

export function registerAuth(app: OpenAPIHono<AppEnv>) {
  const limiter = createSignInLimiter();
  const accountLimiter = createSignInLimiter({ maxFailures: 50 });
  const knownAddresses = createKnownAddresses();

  app.openapi(signIn, async (c) => {
    const { db, clock } = c.get("services");
    const body = c.req.valid("json");
    const now = clock.now();
    const client = c.req.header("x-forwarded-for")?.split(",")[0]?.trim() || "direct";
    const account = `${tenantSlugKey(body.estate)}|${body.email.trim().toLowerCase()}`;
    const key = `${client}|${account}`;
    // The address comes from a header a client reaching the app without Nginx (or through a
    // proxy that appends to it) can write: the account itself also has a limit, five times the
    // address's, that no choice of address gets round.
    const wait = Math.max(
      limiter.retryAfter(key, now.getTime()),
      knownAddresses.has(account, client) ? 0 : accountLimiter.retryAfter(account, now.getTime()),
    );
    if (wait > 0) {
      logSignInFailure(c, client, "rate_limited");
      c.header("Retry-After", String(wait));
      throw new AppError(
        "auth.rate_limited",
        `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} min.`,
      );
    }
    const [tenant] = await db.db.select().from(tenants).where(eq(tenants.slug, body.estate));
    const user = tenant ? await checkPassword(db.db, tenant.id, body.email, body.password) : null;
    if (!tenant || !user) {
      logSignInFailure(c, client, "wrong_credentials");
      limiter.failed(key, now.getTime());
      accountLimiter.failed(account, now.getTime());
      throw new AppError("auth.unauthenticated", "Wrong email or password.");
    }
    limiter.succeeded(key);
    accountLimiter.succeeded(account);
    knownAddresses.remember(account, client);
    const session = await openSession(db.db, user, now);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      path: "/",
      maxAge: SESSION_DAYS * 86_400,
    });
    return c.json(
      {
        email: user.email,
        role: user.role,
        estate: { slug: tenant.slug, name: tenant.name },
        csrfToken: session.csrfToken,
        locale: user.locale,
      },
      200,
    );
  });

  app.openapi(signOut, async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await closeSession(c.get("services").db.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.body(null, 204);
  });

  app.openapi(me, async (c) => {
    const actor = c.get("actor");
    const db = c.get("services").db.db;
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, actor.tenantId));
    const [user] = actor.userId
      ? await db.select({ locale: users.locale }).from(users).where(eq(users.id, actor.userId))
      : [];
    return c.json(
      {
        email: actor.email,
        role: actor.role,
        estate: { slug: tenant!.slug, name: tenant!.name },
        csrfToken: actor.csrfToken,
        locale: user?.locale ?? null,
      },
      200,
    );
  });

  app.openapi(setLocale, async (c) => {
    const actor = c.get("actor");
    if (!actor.userId)
      throw new AppError("auth.forbidden", "An API key has no language to remember.");
    await c
      .get("services")
      .db.db.update(users)
      .set({ locale: c.req.valid("json").locale })
      .where(and(eq(users.tenantId, actor.tenantId), eq(users.id, actor.userId)));
    return c.body(null, 204);
  });

  app.openapi(listUsers, async (c) => {
    const actor = requireRole(c, "admin");
    const rows = await c
      .get("services")
      .db.db.select()
      .from(users)
      .where(eq(users.tenantId, actor.tenantId))
      .orderBy(users.email);
    return c.json(
      {
        items: rows.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role,
          active: u.active,
          lastSignInAt: iso(u.lastSignInAt),
        })),
      },
      200,
    );
  });

  app.openapi(addUser, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const user = await createUser(db, actor.tenantId, c.req.valid("json"));
    await audit(c, db, {
      action: "user.created",
      entity: "user",
      entityId: user.id,
      after: { email: user.email, role: user.role },
    });
    return c.json(
      {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        active: user.active,
        lastSignInAt: null,
      },
      201,
    );
  });

  app.openapi(listKeys, async (c) => {
    const actor = requireRole(c, "admin");
    const rows = await c
      .get("services")
      .db.db.select()
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, actor.tenantId))
      .orderBy(desc(apiKeys.createdAt), apiKeys.id);
    return c.json({ items: rows.map(keyView) }, 200);
  });

  app.openapi(addKey, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const { key, row } = await createApiKey(db, actor.tenantId, {
      ...c.req.valid("json"),
      createdBy: actor.userId,
    });
    await audit(c, db, {
      action: "api_key.created",
      entity: "api_key",
      entityId: row.id,
      after: { name: row.name, role: row.role },
    });
    return c.json({ ...keyView(row), key }, 201);
  });

  app.openapi(revokeKey, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const [row] = await db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.id, c.req.valid("param").id), eq(apiKeys.tenantId, actor.tenantId)))
      .returning({ id: apiKeys.id });
    if (!row) throw new AppError("api_key.not_found", "No such API key.");
    await audit(c, db, { action: "api_key.revoked", entity: "api_key", entityId: row.id });
    return c.body(null, 204);
  });
}
