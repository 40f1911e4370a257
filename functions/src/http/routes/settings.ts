import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { AppError, defaultRules, isAppError } from "@crm-reco/core";
import { sources } from "../../db/schema/index.ts";
import { OdooSourceConfig } from "../../odoo/odoo-source.ts";
import {
  CampaignRulesInput,
  loadCampaignRules,
  saveCampaignRules,
} from "../../recommend/campaign-rules.ts";
import { getSource, listSources, type Source } from "../../repos/sources.ts";
import { loadCron } from "../../on-demand.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { IdParam, json, notFound, refusals, security, jsonBody } from "./shared.ts";

// Built here, after @hono/zod-openapi has extended zod, so that `.openapi` exists on it.
const Rules = z.object(CampaignRulesInput.shape).openapi("CampaignRules");
const RulesView = z.object({ rules: Rules, defaults: Rules }).openapi("CampaignRulesView");

const getRules = createRoute({
  method: "get",
  path: "/api/settings/rules",
  tags: ["settings"],
  summary: "The estate's campaign rules, which the next generation applies, and the defaults",
  security,
  responses: { 200: json(RulesView, "The rules"), ...refusals },
});
const putRules = createRoute({
  method: "put",
  path: "/api/settings/rules",
  tags: ["settings"],
  summary: "Set the estate's campaign rules (admin): the next generation applies them",
  security,
  request: { body: { required: true, content: { "application/json": { schema: Rules } } } },
  responses: { 200: json(RulesView, "Saved"), ...refusals },
});

const Schedule = z
  .object({
    sourceId: z.uuid(),
    name: z.string(),
    schedule: z.string().nullable(),
    timeZone: z.string(),
    /** When the scheduler next syncs this source; null without a schedule. */
    nextRunAt: z.string().nullable(),
    /** Why a stored schedule cannot run (typed by hand before it was checked). */
    problem: z.string().nullable(),
  })
  .openapi("SourceSchedule");
const listSchedules = createRoute({
  method: "get",
  path: "/api/settings/schedules",
  tags: ["settings"],
  summary: "The sync schedule of each Odoo source, with its next run (admin)",
  security,
  responses: { 200: json(z.object({ items: z.array(Schedule) }), "Schedules"), ...refusals },
});
const setSchedule = createRoute({
  method: "patch",
  path: "/api/sources/{id}",
  tags: ["sources"],
  summary:
    "Set or clear an Odoo source's sync schedule (admin): a cron expression (minute hour day month weekday) read in the source's time zone, or null for no scheduled sync",
  security,
  request: {
    params: IdParam,
    body: jsonBody(
      z.object({
        schedule: z.string().max(100).nullable().openapi({ example: "0 2 * * *" }),
      }),
    ),
  },
  responses: { 200: json(Schedule, "Saved, with the next run"), ...refusals, ...notFound },
});

const timeZoneOf = (source: Source) => {
  const zone = (source.config as Record<string, unknown> | null)?.timeZone;
  return typeof zone === "string" ? zone : OdooSourceConfig.shape.timeZone.parse(undefined);
};

type NextRun = Awaited<ReturnType<typeof loadCron>>["nextRun"];

function scheduleView(source: Source, now: Date, nextRun: NextRun): z.infer<typeof Schedule> {
  const timeZone = timeZoneOf(source);
  const view = { sourceId: source.id, name: source.name, schedule: source.schedule, timeZone };
  if (source.schedule === null) return { ...view, nextRunAt: null, problem: null };
  try {
    const next = nextRun(source.schedule, timeZone, now);
    return { ...view, nextRunAt: next?.toISOString() ?? null, problem: null };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ...view, nextRunAt: null, problem: error.message };
  }
}

export function registerSettings(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRules, async (c) => {
    const { tenantId } = c.get("actor");
    const rules = await loadCampaignRules(c.get("services").db.db, tenantId);
    return c.json({ rules, defaults: defaultRules }, 200);
  });

  app.openapi(putRules, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const before = await loadCampaignRules(db, actor.tenantId);
    const rules = await saveCampaignRules(db, actor.tenantId, c.req.valid("json"));
    await audit(c, db, {
      action: "campaign_rules.changed",
      entity: "campaign",
      before,
      after: rules,
    });
    return c.json({ rules, defaults: defaultRules }, 200);
  });

  app.openapi(listSchedules, async (c) => {
    const actor = requireRole(c, "admin");
    const { db, clock } = c.get("services");
    const rows = await listSources(db.db, actor.tenantId);
    const now = clock.now();
    const { nextRun } = await loadCron();
    return c.json(
      { items: rows.filter((s) => s.kind === "odoo").map((s) => scheduleView(s, now, nextRun)) },
      200,
    );
  });

  app.openapi(setSchedule, async (c) => {
    const actor = requireRole(c, "admin");
    const { db, clock } = c.get("services");
    const source = await getSource(db.db, actor.tenantId, c.req.valid("param").id);
    if (source.kind !== "odoo")
      throw new AppError(
        "source.invalid",
        "Only Odoo sources sync on a schedule: a file source is imported when a file is uploaded.",
      );
    const typed = c.req.valid("json").schedule?.trim().replace(/\s+/g, " ") || null;
    const { nextRun } = await loadCron();
    // Throws schedule.invalid (400) in plain language before anything is saved.
    if (typed !== null) nextRun(typed, timeZoneOf(source), clock.now());
    const [saved] = await db.db
      .update(sources)
      .set({ schedule: typed, updatedAt: sql`now()` })
      .where(and(eq(sources.tenantId, actor.tenantId), eq(sources.id, source.id)))
      .returning();
    await audit(c, db.db, {
      action: "source.schedule_changed",
      entity: "source",
      entityId: source.id,
      before: { schedule: source.schedule },
      after: { schedule: typed },
    });
    return c.json(scheduleView(saved!, clock.now(), nextRun), 200);
  });
}
