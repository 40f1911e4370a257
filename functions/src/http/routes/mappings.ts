import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import {
  AppError,
  canonicalFields,
  columnTypesAccepted,
  headerSignature,
  importEntities,
  isAppError,
  Mapping,
  resolveMapping,
  suggestMapping,
  transformationCatalogue,
} from "@crm-reco/core";
import { mappings, users } from "../../db/schema/index.ts";
import {
  findMappingForHeaders,
  type MappingRow,
  saveMappingVersion,
} from "../../repos/mappings.ts";
import { getSource } from "../../repos/sources.ts";
import type { AppEnv } from "../app-env.ts";
import { loadPipeline } from "../../on-demand.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { IdParam, json, notFound, refusals, security, jsonBody } from "./shared.ts";

const Entity = z.enum(importEntities);
const Fields = z.record(z.string(), z.unknown()).openapi({
  description: "Canonical field → column name, or { column, dateFormat, decimal, transforms }",
});
/** A sample of the file, as the browser read it: the mapping editor works on it live. */
const Sample = z.object({
  entity: Entity,
  columns: z.array(z.string().max(200)).min(1).max(300),
  rows: z
    .array(z.array(z.string().max(10_000)).max(300))
    .max(1000)
    .default([]),
});
const MappingView = z
  .object({
    id: z.uuid(),
    sourceId: z.uuid(),
    entity: Entity,
    version: z.number().int(),
    fields: Fields,
    qualityScore: z.number().nullable(),
    createdAt: z.string(),
    /** Who saved it (their e-mail); null for one saved by an import or a removed account. */
    createdBy: z.string().nullable(),
  })
  .openapi("Mapping");
const view = (m: MappingRow, createdBy: string | null = null): z.infer<typeof MappingView> => ({
  id: m.id,
  sourceId: m.sourceId,
  entity: m.entity,
  version: m.version,
  fields: m.fields as Record<string, unknown>,
  qualityScore: m.qualityScore,
  createdAt: m.createdAt.toISOString(),
  createdBy,
});
/** Mappings with their author's e-mail. */
const withAuthor = { mapping: mappings, author: users.email };

const list = createRoute({
  method: "get",
  path: "/api/mappings",
  tags: ["mapping"],
  summary: "Saved mappings (every version), newest first",
  security,
  request: { query: z.object({ sourceId: z.uuid().optional(), entity: Entity.optional() }) },
  responses: { 200: json(z.object({ items: z.array(MappingView) }), "Mappings"), ...refusals },
});
const detail = createRoute({
  method: "get",
  path: "/api/mappings/{id}",
  tags: ["mapping"],
  summary: "One mapping version",
  security,
  request: { params: IdParam },
  responses: { 200: json(MappingView, "The mapping"), ...refusals, ...notFound },
});
const save = createRoute({
  method: "post",
  path: "/api/mappings",
  tags: ["mapping"],
  summary:
    "Register or update the mapping of a source's export (editor): saved as a new version, used by the next import of files with these columns",
  security,
  request: {
    body: jsonBody(
      z.object({
        sourceId: z.uuid(),
        entity: Entity,
        columns: z.array(z.string().max(200)).min(1).max(300),
        fields: Fields,
      }),
    ),
  },
  responses: { 201: json(MappingView, "Saved"), ...refusals, ...notFound },
});
const Validation = z
  .object({
    valid: z.boolean(),
    errors: z.array(
      z.object({
        code: z.string(),
        message: z.string(),
        /** The canonical fields the error is about (an unknown or unmapped field), to show it beside them. */
        fields: z.array(z.string()),
      }),
    ),
  })
  .openapi("MappingValidation");
const validate = createRoute({
  method: "post",
  path: "/api/mappings/validate",
  tags: ["mapping"],
  summary: "Check a mapping against the file's columns and the entity's fields",
  security,
  request: {
    body: jsonBody(
      z.object({ entity: Entity, columns: z.array(z.string()).min(1), fields: Fields }),
    ),
  },
  responses: { 200: json(Validation, "Valid or not, and why"), ...refusals },
});
const suggest = createRoute({
  method: "post",
  path: "/api/mappings/suggest",
  tags: ["mapping"],
  summary: "Suggest a mapping from headers and sample values, with a confidence per field",
  security,
  request: {
    body: jsonBody(Sample.extend({ sourceId: z.uuid().optional() })),
  },
  responses: {
    200: json(
      z.object({
        mapping: z.object({ entity: Entity, fields: Fields }),
        suggestions: z.array(
          z.object({
            field: z.string(),
            column: z.string(),
            confidence: z.number(),
            method: z.string(),
          }),
        ),
        columnTypes: z.record(z.string(), z.string()),
        unmappedColumns: z.array(z.string()),
        missingRequired: z.array(z.string()),
      }),
      "The suggestion",
    ),
    ...refusals,
  },
});
const preview = createRoute({
  method: "post",
  path: "/api/mappings/preview",
  tags: ["mapping"],
  summary:
    "Preview normalisation: each sample row raw beside normalised, rejected rows with why, detected anomalies and the quality score, nothing written",
  security,
  request: {
    body: jsonBody(Sample.extend({ fields: Fields })),
  },
  responses: {
    200: json(
      z.object({
        rows: z.array(
          z.object({
            line: z.number().int(),
            raw: z.record(z.string(), z.string()),
            normalized: z.record(z.string(), z.unknown()).nullable(),
            rejected: z.array(z.unknown()),
            issues: z.array(z.unknown()),
          }),
        ),
        quality: z
          .record(z.string(), z.unknown())
          .openapi({ description: "Score 0-100 and its parts" }),
        anomalies: z.record(z.string(), z.number().int()),
      }),
      "The preview",
    ),
    ...refusals,
  },
});
const fields = createRoute({
  method: "get",
  path: "/api/mappings/fields",
  tags: ["mapping"],
  summary: "Canonical fields of each entity: type, required, labels, known header names",
  security,
  responses: {
    200: json(
      z.record(
        z.string(),
        z.array(
          z.object({
            key: z.string(),
            type: z.string(),
            required: z.boolean(),
            label: z.object({ fr: z.string(), en: z.string() }),
            synonyms: z.array(z.string()),
            /** Detected column types (as /suggest's columnTypes) this field may take. */
            accepts: z.array(z.string()),
          }),
        ),
      ),
      "Fields by entity",
    ),
    ...refusals,
  },
});
const transformations = createRoute({
  method: "get",
  path: "/api/mappings/transformations",
  tags: ["mapping"],
  summary: "Transformations a mapping can apply to a column (trim, case, split, concat, replace…)",
  security,
  responses: {
    200: json(
      z.array(z.object({ kind: z.string(), label: z.object({ fr: z.string(), en: z.string() }) })),
      "Catalogue",
    ),
    ...refusals,
  },
});

/** A mapping from a request, or a 400 naming what is wrong. */
function parseMapping(entity: string, fieldsJson: unknown): Mapping {
  const parsed = Mapping.safeParse({ entity, fields: fieldsJson });
  if (!parsed.success)
    throw new AppError(
      "mapping.invalid",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  return parsed.data;
}

export function registerMappings(app: OpenAPIHono<AppEnv>) {
  app.openapi(fields, (c) =>
    c.json(
      Object.fromEntries(
        Object.entries(canonicalFields).map(([entity, list]) => [
          entity,
          list.map((f) => ({ ...f, accepts: columnTypesAccepted(f.type) })),
        ]),
      ),
      200,
    ),
  );
  app.openapi(transformations, (c) => c.json(transformationCatalogue, 200));

  app.openapi(list, async (c) => {
    const { tenantId } = c.get("actor");
    const q = c.req.valid("query");
    const rows = await c
      .get("services")
      .db.db.select(withAuthor)
      .from(mappings)
      .leftJoin(users, eq(users.id, mappings.createdBy))
      .where(
        and(
          eq(mappings.tenantId, tenantId),
          q.sourceId ? eq(mappings.sourceId, q.sourceId) : undefined,
          q.entity ? eq(mappings.entity, q.entity) : undefined,
        ),
      )
      .orderBy(desc(mappings.createdAt), desc(mappings.version));
    return c.json({ items: rows.map((r) => view(r.mapping, r.author)) }, 200);
  });

  app.openapi(detail, async (c) => {
    const [row] = await c
      .get("services")
      .db.db.select(withAuthor)
      .from(mappings)
      .leftJoin(users, eq(users.id, mappings.createdBy))
      .where(
        and(
          eq(mappings.tenantId, c.get("actor").tenantId),
          eq(mappings.id, c.req.valid("param").id),
        ),
      );
    if (!row) throw new AppError("mapping.not_found", "No such mapping.");
    return c.json(view(row.mapping, row.author), 200);
  });

  app.openapi(save, async (c) => {
    const actor = requireRole(c, "editor");
    const db = c.get("services").db.db;
    const body = c.req.valid("json");
    const source = await getSource(db, actor.tenantId, body.sourceId);
    const mapping = parseMapping(body.entity, body.fields);
    resolveMapping(mapping, body.columns);
    const row = await saveMappingVersion(db, {
      tenantId: actor.tenantId,
      sourceId: source.id,
      entity: body.entity,
      headerSignature: headerSignature(body.columns),
      fields: mapping.fields,
      createdBy: actor.userId ?? undefined,
    });
    await audit(c, db, {
      action: "mapping.saved",
      entity: "mapping",
      entityId: row.id,
      after: { version: row.version },
    });
    // An identical newest version is returned as it was: its author may be someone else.
    return c.json(view(row, row.createdBy === actor.userId ? actor.email : null), 201);
  });

  app.openapi(validate, (c) => {
    const body = c.req.valid("json");
    try {
      resolveMapping(parseMapping(body.entity, body.fields), body.columns);
      return c.json({ valid: true, errors: [] }, 200);
    } catch (error) {
      if (!isAppError(error)) throw error;
      const { field, missing } = error.details ?? {};
      const fields = typeof field === "string" ? [field] : Array.isArray(missing) ? missing : [];
      return c.json(
        { valid: false, errors: [{ code: error.code, message: error.message, fields }] },
        200,
      );
    }
  });

  app.openapi(suggest, async (c) => {
    const body = c.req.valid("json");
    const { tenantId } = c.get("actor");
    const db = c.get("services").db.db;
    const saved = body.sourceId
      ? await findMappingForHeaders(
          db,
          tenantId,
          (await getSource(db, tenantId, body.sourceId)).id,
          body.entity,
          headerSignature(body.columns),
        )
      : undefined;
    const suggestion = suggestMapping(
      body.entity,
      body.columns,
      body.rows,
      saved
        ? { headerSignature: saved.headerSignature, fields: saved.fields as Mapping["fields"] }
        : undefined,
    );
    return c.json(
      suggestion as unknown as z.infer<
        (typeof suggest)["responses"][200]["content"]["application/json"]["schema"]
      >,
      200,
    );
  });

  app.openapi(preview, async (c) => {
    const body = c.req.valid("json");
    const mapping = parseMapping(body.entity, body.fields);
    const { previewImport } = await loadPipeline();
    const result = previewImport(
      body.entity,
      body.columns,
      body.rows.map((values, i) => ({ line: i + 2, values, extra: [], cells: values })),
      mapping,
      c.get("services").clock.now().toISOString().slice(0, 10),
    );
    return c.json(JSON.parse(JSON.stringify(result)), 200);
  });
}
