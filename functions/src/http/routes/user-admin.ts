import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { changeUser } from "../../auth/change-user.ts";
import { roles } from "../../auth/credentials.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { errorResponse, IdParam, json, notFound, refusals, security, jsonBody } from "./shared.ts";

const UserView = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(roles),
  active: z.boolean(),
  lastSignInAt: z.string().nullable(),
});

const update = createRoute({
  method: "patch",
  path: "/api/users/{id}",
  tags: ["auth"],
  summary:
    "Change a user's role, or deactivate / reactivate them (admin). A deactivated user's sessions end; an admin cannot demote or deactivate themselves, and the estate keeps at least one admin",
  security,
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({ role: z.enum(roles).optional(), active: z.boolean().optional() })
        .refine((b) => b.role !== undefined || b.active !== undefined, {
          message: "Send a role, active, or both.",
        }),
    ),
  },
  responses: {
    200: json(UserView, "The user as changed"),
    422: errorResponse("Would leave the estate without an admin, or an admin changing themselves"),
    ...refusals,
    ...notFound,
  },
});

export function registerUserAdmin(app: OpenAPIHono<AppEnv>) {
  app.openapi(update, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const { before, after } = await changeUser(
      db,
      actor.tenantId,
      actor,
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    await audit(c, db, {
      action: after.active === before.active ? "user.role_changed" : "user.active_changed",
      entity: "user",
      entityId: after.id,
      before: { role: before.role, active: before.active },
      after: { role: after.role, active: after.active },
    });
    return c.json(
      {
        id: after.id,
        email: after.email,
        name: after.name,
        role: after.role,
        active: after.active,
        lastSignInAt: after.lastSignInAt?.toISOString() ?? null,
      },
      200,
    );
  });
}
