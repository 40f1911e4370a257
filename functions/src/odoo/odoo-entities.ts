import { sql } from "drizzle-orm";
import {
  anomaly,
  CURSOR_OVERLAP_SECONDS,
  confirmedOrderStates,
  customFieldsOf,
  type FieldsInfo,
  fieldsToRead,
  type Keyset,
  m2oId,
  missingRequiredFields,
  nextKeyset,
  type OdooDomain,
  odooDatetimeMinus,
  OdooError,
  type OdooModel,
  type OdooRecord,
  POS_SOLD_STATES,
  posLineAsSaleLine,
  posOrderAsSaleOrder,
  skuOfProduct,
  isModelUnavailable,
} from "@crm-reco/core";
import { arrayParam, type Db, queryRows, type Tx } from "../adapters/db/database.ts";
import { unnestRows } from "../import/unnest.ts";
import { upsertAnomalies } from "../import/write-batch.ts";
import { type OdooReader, WITH_ARCHIVED } from "./odoo-reader.ts";
import type { OdooSourceConfig } from "./odoo-source.ts";
import type { EntitySync, SyncPage } from "./run-entity-sync.ts";

/** What every entity's sync needs to know about this run. */
export interface SyncScope {
  db: Db;
  tenantId: string;
  sourceId: string;
  reader: OdooReader;
  config: OdooSourceConfig;
  /** Cursor per model as stored on the source; ignored by a full sync. */
  cursor: Record<string, unknown>;
  full: boolean;
  /** Compare every id with Odoo to find deletions (full syncs, and periodically). */
  reconcile: boolean;
}

/** Where an incremental read starts: the stored cursor minus the overlap, or the beginning. */
function sinceOf(scope: SyncScope, model: string): string | null {
  const stored = scope.cursor[model];
  if (scope.full || typeof stored !== "string") return null;
  return odooDatetimeMinus(stored, CURSOR_OVERLAP_SECONDS);
}

async function schemaOf(scope: SyncScope, model: OdooModel): Promise<FieldsInfo> {
  const info = await scope.reader.fieldsOf(model);
  const missing = missingRequiredFields(model, info);
  if (missing.length > 0)
    throw new OdooError(
      "odoo.server_error",
      `${model} has no field ${missing.join(", ")} on this Odoo: it cannot be synced.`,
      { model, missing },
    );
  return info;
}

/** Keyset pages of one model, in write_date order (`nextKeyset` says how a page follows another). */
async function* changedPages(
  scope: SyncScope,
  model: OdooModel,
  base: OdooDomain,
  fields: string[],
): AsyncGenerator<{ records: OdooRecord[]; cursor: Record<string, string> }> {
  const since = sinceOf(scope, model);
  for (let at: Keyset | null = null; ;) {
    const records = await scope.reader.page(model, base, fields, since, at);
    const last = records.at(-1);
    if (last && typeof last.write_date === "string")
      yield { records, cursor: { [model]: last.write_date } };
    else if (last) yield { records, cursor: {} };
    at = nextKeyset(records, at, scope.reader.pageSize);
    if (!at) return;
  }
}

/** The cursor a full read of a model ends at: its latest write_date. */
async function latestCursor(scope: SyncScope, model: OdooModel): Promise<Record<string, string>> {
  const [latest] = await scope.reader.transport.call<OdooRecord[]>(model, "search_read", {
    domain: [],
    fields: ["write_date"],
    limit: 1,
    order: "write_date desc, id desc",
    context: WITH_ARCHIVED,
  });
  return typeof latest?.write_date === "string" ? { [model]: latest.write_date } : {};
}

async function namesOf(scope: SyncScope, model: string): Promise<Map<number, string>> {
  const records = await scope.reader.all(model, [], ["name"]);
  return new Map(records.map((r) => [r.id, String(r.name)]));
}

const optionalNames = async (scope: SyncScope, model: string, needed: boolean) =>
  needed ? namesOf(scope, model) : new Map<number, string>();

// ---------------------------------------------------------------- customers

/**
 * Customers are the partners of the source's domain, less those who never are: the estate's own
 * companies and the partners of its users, staff and the website's built-in accounts (Odoo keeps
 * them all as partners too). A portal user, who made an account on the web shop, is a customer.
 * The users are read rather than named in a domain: Odoo 16 reads `!` over a path through
 * user_ids as "has a user that is not…", which would leave out every partner without one.
 */
async function customerDomain(scope: SyncScope): Promise<OdooDomain> {
  const own: number[] = [];
  let staff: OdooDomain = [];
  try {
    for (const c of await scope.reader.all("res.company", [], ["partner_id"]))
      own.push(m2oId(c.partner_id) ?? -1);
  } catch (error) {
    if (!(error instanceof OdooError) || error.code !== "odoo.access_error") throw error;
  }
  try {
    for (const u of await scope.reader.all("res.users", [], ["partner_id", "share", "login"]))
      if (!u.share || isWebsiteAccount(String(u.login))) own.push(m2oId(u.partner_id) ?? -1);
  } catch (error) {
    if (!(error instanceof OdooError) || error.code !== "odoo.access_error") throw error;
    staff = [["user_ids", "=", false]]; // users not readable: leave out every partner with one
  }
  const excluded = [...new Set(own.filter((id) => id > 0))];
  return [
    ...scope.config.partnerDomain,
    ...staff,
    ...(excluded.length > 0 ? [["id", "not in", excluded] as OdooDomain[number]] : []),
  ];
}

/** The website's visitor (`public`, and `public-user@company-N.com` for each other company), and the account portal users are copied from. */
const isWebsiteAccount = (login: string) =>
  login === "public" || login === "portaltemplate" || login.startsWith("public-user@");

export async function customersSync(scope: SyncScope): Promise<EntitySync> {
  const info = await schemaOf(scope, "res.partner");
  const domain = await customerDomain(scope);
  let domainIds: Promise<Set<string>> | undefined;
  const inDomain = () =>
    (domainIds ??= scope.reader.ids("res.partner", domain).then((ids) => new Set(ids.map(String))));
  const fields = fieldsToRead("res.partner", info);
  const customFields = customFieldsOf(fields);
  const optOuts = "email_normalized" in info ? await mailingOptOuts(scope, domain) : null;
  const context = {
    timeZone: scope.config.timeZone,
    types: info,
    partnerTags: await optionalNames(scope, "res.partner.category", "category_id" in info),
    mailingOptOuts: new Set(optOuts?.partners ?? []),
  };
  return {
    entity: "customers",
    model: "res.partner",
    customFields,
    async *pages(): AsyncGenerator<SyncPage> {
      // Asked before the pages are read: someone blacklisted while they are differs next time.
      // Those off a mailing list object as plainly, and are compared with the same list.
      const blacklisted =
        "is_blacklisted" in info
          ? idList([
              ...(await scope.reader.ids("res.partner", [
                ...domain,
                ["is_blacklisted", "=", true],
              ])),
              ...context.mailingOptOuts,
            ])
          : null;
      for await (const page of changedPages(scope, "res.partner", domain, fields))
        yield { ...page, context };
      const remembered: Record<string, string> = {
        ...(blacklisted === null ? {} : { [BLACKLISTED]: blacklisted }),
        ...(optOuts?.read ? { [MAILING_OPT_OUTS]: idList(optOuts.partners) } : {}),
        ...(optOuts?.readUntil ? { [MAILING_READ_UNTIL]: optOuts.readUntil } : {}),
        ...(optOuts?.read ? { [MAILING_OFF_SUBSCRIPTIONS]: idList(optOuts.offSubscriptions) } : {}),
      };
      if (sinceOf(scope, "res.partner") === null) {
        // A full read has just read everyone, each as blacklisted as they were at least then.
        if (Object.keys(remembered).length > 0) yield { records: [], context, cursor: remembered };
        return;
      }
      const again = new Set<number>();
      if (blacklisted !== null)
        for (const id of await blacklistChanges(scope, blacklisted)) again.add(id);
      if (scope.reconcile)
        for (const id of await partnersNotHere(scope, await inDomain())) again.add(id);
      // Reading a deleted partner is an error, and one outside the domain is no longer a customer.
      const ids =
        again.size > 0
          ? await scope.reader.ids("res.partner", [...domain, ["id", "in", [...again]]])
          : [];
      const size = scope.reader.pageSize;
      for (let i = 0; i < ids.length; i += size)
        yield {
          records: await scope.reader.byIds("res.partner", ids.slice(i, i + size), fields),
          context,
          cursor: i + size >= ids.length ? remembered : {},
        };
      if (
        ids.length === 0 &&
        Object.entries(remembered).some(([key, value]) => scope.cursor[key] !== value)
      )
        yield { records: [], context, cursor: remembered };
    },
    finish: scope.reconcile
      ? async (db, runId) => flagDeletedPartners(db, scope, await inDomain(), runId)
      : undefined,
  };
}

/** Where the cursor keeps the partners Odoo blacklisted when last compared, as "12,40,57". */
const BLACKLISTED = "res.partner.blacklisted";
const idList = (ids: number[]) => [...ids].sort((a, b) => a - b).join(",");

/**
 * Odoo keeps its blacklist apart (mail.blacklist, the unsubscribe link's doing): blacklisting an
 * address, or lifting it, leaves the partner's write_date alone, so an incremental read never
 * sees it. Each incremental sync compares whom Odoo blacklists now with whom it blacklisted at the
 * last comparison, and reads those that differ again. Before 2026-12 that list was not kept: the
 * first comparison is with what each partner said when last read here.
 */
async function blacklistChanges(scope: SyncScope, blacklisted: string): Promise<number[]> {
  const now = new Set(blacklisted.split(",").filter(Boolean));
  const stored = scope.cursor[BLACKLISTED];
  let changed: string[];
  if (typeof stored === "string") {
    const before = new Set(stored.split(",").filter(Boolean));
    changed = [
      ...[...now].filter((id) => !before.has(id)),
      ...[...before].filter((id) => !now.has(id)),
    ];
  } else {
    const known = await queryRows<{ external_id: string; blacklisted: boolean }>(
      scope.db,
      sql`select external_id, coalesce(attributes->>'consent_email' = 'opt_out', false) as blacklisted
          from customer_identities where tenant_id = ${scope.tenantId}::uuid and source_id = ${scope.sourceId}::uuid
            and external_id not like 'erased:%'`,
    );
    changed = known
      .filter((k) => k.blacklisted !== now.has(k.external_id))
      .map((k) => k.external_id);
  }
  return changed.map(Number).filter((id) => Number.isSafeInteger(id));
}

/** Where the cursor keeps the partners last found off a mailing list, as "12,40,57". */
const MAILING_OPT_OUTS = "mailing.subscription.opted_out";
/** The latest write_date among the subscriptions read then: what is newer was done since. */
const MAILING_READ_UNTIL = "mailing.subscription.read_until";
/** The subscriptions that were off at the last read: one of them on again is a return. */
const MAILING_OFF_SUBSCRIPTIONS = "mailing.subscription.off_ids";
const SUBSCRIPTION_MODELS = ["mailing.subscription", "mailing.contact.subscription"];

/**
 * The partners of the domain whose address left one of the estate's mass-mailing lists: the
 * unsubscribe link of a mailing sent to a list opts the address out of that list (a subscription
 * of its own, `mailing.subscription`, `mailing.contact.subscription` up to Odoo 16) without
 * blacklisting it or touching the partner. Leaving any list counts: the estate's campaigns are
 * the same kind of mail, and an address still on another list is no consent to them. Matched by
 * the normalized address, as Odoo matches its blacklist.
 *
 * An objection is lifted only by the person coming back: a subscription of their address that
 * was off at the last read and is on again. Deleting the list, or its contact, deletes the
 * subscription that recorded the objection, not the objection. Where mass_mailing is not
 * installed, nobody; where it can no longer be read (rights taken away), those found the last
 * time it could: losing the right to read an objection does not lift it.
 */
async function mailingOptOuts(
  scope: SyncScope,
  domain: OdooDomain,
): Promise<{
  partners: number[];
  read: boolean;
  readUntil: string | null;
  offSubscriptions: number[];
}> {
  const stored = scope.cursor[MAILING_OPT_OUTS];
  const wasOff = new Set(
    String(scope.cursor[MAILING_OFF_SUBSCRIPTIONS] ?? "")
      .split(",")
      .filter(Boolean)
      .map(Number),
  );
  const before = typeof stored === "string" ? stored.split(",").filter(Boolean).map(Number) : [];
  const since = scope.cursor[MAILING_READ_UNTIL];
  for (const model of SUBSCRIPTION_MODELS) {
    let subscriptions: OdooRecord[];
    let emailOf: Map<number, string>;
    try {
      // Once a read is dated, the objections standing and what changed since (a person back
      // on a list), not every subscription of every list at each sync: the latest date read is
      // the same either way.
      subscriptions = await scope.reader.all(
        model,
        typeof since === "string" ? ["|", ["opt_out", "=", true], ["write_date", ">=", since]] : [],
        ["contact_id", "opt_out", "create_date", "write_date"],
      );
      const contacts = unique(
        subscriptions.map((s) => m2oId(s.contact_id)).filter((id): id is number => id !== null),
      );
      emailOf = new Map(
        (await scope.reader.byIds("mailing.contact", contacts, ["email_normalized"]))
          .filter((c) => typeof c.email_normalized === "string" && c.email_normalized !== "")
          .map((c) => [c.id, String(c.email_normalized)]),
      );
    } catch (error) {
      if (isModelUnavailable(error)) continue;
      throw error;
    }
    const addressOf = (s: OdooRecord) => emailOf.get(m2oId(s.contact_id) ?? -1);
    const optedOut = unique(
      subscriptions
        .filter((s) => s.opt_out === true)
        .map(addressOf)
        .filter((e) => e !== undefined),
    );
    // Back: a subscription that was off at the last read and is on now. Any other written
    // since is the estate's doing (a new list, an edited contact), not the person's. A source
    // that kept no such list before 2026-12-05 sees nobody back until it has one (an objection
    // is not lifted on a guess).
    const back = new Set(
      subscriptions
        .filter((s) => s.opt_out !== true && wasOff.has(s.id))
        .map(addressOf)
        .filter((e) => e !== undefined),
    );
    const partners = await partnersByEmail(scope, domain, optedOut);
    const found = new Set(partners);
    const missing = before.filter((id) => !found.has(id) && Number.isSafeInteger(id));
    if (missing.length > 0) {
      const left = await scope.reader.all(
        "res.partner",
        [...domain, ["id", "in", missing]],
        ["email_normalized"],
      );
      for (const partner of left)
        if (!back.has(String(partner.email_normalized))) partners.push(partner.id);
    }
    const dates = subscriptions.map((s) => String(s.write_date)).filter((d) => d !== "false");
    const readUntil = dates.reduce<string | null>((a, d) => (a === null || d > a ? d : a), null);
    return {
      partners: unique(partners),
      read: true,
      readUntil: readUntil ?? (typeof since === "string" ? since : null),
      offSubscriptions: subscriptions.filter((s) => s.opt_out === true).map((s) => s.id),
    };
  }
  return { partners: before, read: false, readUntil: null, offSubscriptions: [...wasOff] };
}

async function partnersByEmail(
  scope: SyncScope,
  domain: OdooDomain,
  emails: string[],
): Promise<number[]> {
  const partners: number[] = [];
  const chunk = scope.reader.pageSize * 10;
  for (let i = 0; i < emails.length; i += chunk)
    partners.push(
      ...(await scope.reader.ids("res.partner", [
        ...domain,
        ["email_normalized", "in", emails.slice(i, i + chunk)],
      ])),
    );
  return partners;
}

/**
 * Partners of the domain that were never read here although they did not change: the domain
 * itself changed (a setting, or this version's default now taking in web-shop accounts), or a
 * partner entered it by losing its user. A customer known only from the orders that name them
 * is read too; an erased person's is read and skipped again.
 */
async function partnersNotHere(scope: SyncScope, ids: Set<string>): Promise<number[]> {
  const local = await queryRows<{ external_id: string }>(
    scope.db,
    sql`select external_id from customer_identities where tenant_id = ${scope.tenantId}::uuid and source_id = ${scope.sourceId}::uuid
          and attributes->>'created_from' is distinct from 'order_lines'`,
  );
  const here = new Set(local.map((l) => l.external_id));
  return [...ids].filter((id) => !here.has(id)).map(Number);
}

/** A partner deleted in Odoo keeps its history here; staff see it in the anomalies. */
async function flagDeletedPartners(
  db: Db,
  scope: SyncScope,
  ids: Set<string>,
  runId: string,
): Promise<number> {
  const local = await queryRows<{ external_id: string }>(
    db,
    sql`select external_id from customer_identities where tenant_id = ${scope.tenantId}::uuid and source_id = ${scope.sourceId}::uuid
          and external_id not like 'erased:%'`,
  );
  const gone = local.filter((l) => !ids.has(l.external_id));
  if (gone.length > 0)
    await db.transaction((tx) =>
      upsertAnomalies(
        tx,
        { tenantId: scope.tenantId, sourceId: scope.sourceId, runId, entity: "customers" },
        gone.map((g) => ({
          key: g.external_id,
          line: null,
          anomaly: anomaly("customer.deleted_in_source", null, g.external_id),
        })),
      ),
    );
  return 0;
}

// ---------------------------------------------------------------- products

/**
 * Variants (`product.product`) are what is sold; a change on the template (price, name) or on
 * its category does not touch the variants' write_date, so changed templates and categories
 * bring their variants along.
 */
export async function productsSync(scope: SyncScope): Promise<EntitySync> {
  const info = await schemaOf(scope, "product.product");
  const fields = fieldsToRead("product.product", info);
  const customFields = customFieldsOf(fields);
  const context = {
    timeZone: scope.config.timeZone,
    types: info,
    productTags: await optionalNames(scope, "product.tag", "product_tag_ids" in info),
  };
  const templateFields = fieldsToRead(
    "product.template",
    await schemaOf(scope, "product.template"),
  );
  // Services (delivery, a cellar tour, a tip) are not wines to recommend.
  const goods: OdooDomain = "type" in info ? [["type", "not in", NOT_WINES]] : [];
  // Which wine each variant is was not recorded before 2026-12, nor its category (which says
  // whether it is a wine) before 2026-12-04: read every variant once more to learn them. The
  // marker goes with every page's cursor, so that a read stopped on the way goes on from there.
  const known = (await knowsProducts(scope)) && scope.cursor[CATEGORIES_READ] === "yes";
  const read = known ? scope : { ...scope, full: true };
  const followed = (page: { records: OdooRecord[]; cursor: Record<string, string> }) => ({
    ...page,
    cursor: { ...page.cursor, [CATEGORIES_READ]: "yes" },
    context,
    beforeWriting: (tx: Tx) => followCodeChanges(tx, scope, page.records),
    alsoInTransaction: (tx: Tx, _written: unknown, runId: string) =>
      rememberProducts(tx, scope, page.records, runId),
  });
  return {
    entity: "products",
    model: "product.product",
    customFields,
    async *pages() {
      for await (const page of changedPages(read, "product.product", goods, fields))
        yield followed(page);
      // Reading every variant already covered every template: only the cursor moves.
      if (sinceOf(read, "product.template") === null && sinceOf(read, "product.product") === null) {
        yield {
          records: [],
          context,
          cursor: {
            ...(await latestCursor(scope, "product.template")),
            ...(await latestCursor(scope, "product.category")),
            [CATEGORIES_READ]: "yes",
          },
        };
        return;
      }
      for await (const templates of changedPages(read, "product.template", [], templateFields)) {
        const ids = templates.records.map((t) => t.id);
        const variants = await scope.reader.all(
          "product.product",
          [["product_tmpl_id", "in", ids], ...goods],
          fields,
        );
        yield followed({ records: variants, cursor: templates.cursor });
      }
      // A category renamed or moved ("Vins" becoming "Vins / Alsace", "Divers" becoming
      // "Accessoires") changes what its products' family says, not their write_date.
      // Only those written after the cursor: the overlap that re-reads the last second would
      // otherwise bring the whole catalogue back at every sync when the last category written
      // is the root ("All").
      const categoriesSince = read.full ? undefined : scope.cursor["product.category"];
      for await (const categories of changedPages(
        read,
        "product.category",
        [],
        ["name", "write_date"],
      )) {
        const ids = categories.records
          .filter(
            (c) => typeof categoriesSince !== "string" || String(c.write_date) > categoriesSince,
          )
          .map((c) => c.id);
        const variants = await scope.reader.all(
          "product.product",
          [["categ_id", "child_of", ids], ...goods],
          fields,
        );
        yield followed({ records: variants, cursor: categories.cursor });
      }
    },
    // Services and combos imported before 2026-12, or turned into one since, leave the
    // catalogue the recommendations are drawn from (kept, with any sales, but archived).
    finish:
      scope.reconcile && "type" in info
        ? (db) => archiveNotWines(db, scope, fields.includes("default_code"))
        : undefined,
  };
}

/** In the cursor once every variant was read with its category (since 2026-12-04). */
const CATEGORIES_READ = "product.product.categories_read";

/** Product types that are not bottles: a service (delivery, a tour, a tip) or a menu of them. */
const NOT_WINES = ["service", "combo"];

async function archiveNotWines(db: Db, scope: SyncScope, hasCodes: boolean): Promise<number> {
  const variants = await scope.reader.all(
    "product.product",
    [["type", "in", NOT_WINES]],
    hasCodes ? ["default_code"] : [],
  );
  if (variants.length === 0) return 0;
  await db.execute(
    sql`update products set active = false, updated_at = now()
        where tenant_id = ${scope.tenantId}::uuid and active
          and sku = any(${arrayParam(variants.map(skuOfProduct), "text")})`,
  );
  return 0;
}

const knowsProducts = async (scope: SyncScope) =>
  (
    await queryRows(
      scope.db,
      sql`select 1 from product_identities where tenant_id = ${scope.tenantId}::uuid and source_id = ${scope.sourceId}::uuid limit 1`,
    )
  ).length > 0;

const variantCodes = (records: OdooRecord[]) =>
  unnestRows(
    ["external_id", "sku"],
    records.map((p) => ({ external_id: String(p.id), sku: skuOfProduct(p) })),
  );

/**
 * A wine's code is its internal reference in Odoo, which the estate may give or change later
 * ("odoo-12" becoming "RI-22"): the wine this variant was keeps its sales and takes the new code,
 * instead of a new wine starting with none. Only when nothing else depends on the old code or
 * wants the new one: no other wine has it, no other variant of the page takes it, and no other
 * source names the wine (by its identities or its sales), whose next export would split it.
 */
async function followCodeChanges(tx: Tx, scope: SyncScope, records: OdooRecord[]) {
  const claims = new Map<string, number>();
  for (const p of records) claims.set(skuOfProduct(p), (claims.get(skuOfProduct(p)) ?? 0) + 1);
  const alone = records.filter((p) => claims.get(skuOfProduct(p)) === 1);
  if (alone.length === 0) return;
  await tx.execute(
    sql`update products p set sku = u.sku, updated_at = now()
        from ${variantCodes(alone)}
        join product_identities i on i.external_id = u.external_id
        where i.tenant_id = ${scope.tenantId}::uuid and i.source_id = ${scope.sourceId}::uuid
          and p.id = i.product_id and p.sku <> u.sku
          and not exists (select 1 from products q where q.tenant_id = p.tenant_id and q.sku = u.sku)
          and not exists (select 1 from product_identities o
                          where o.tenant_id = p.tenant_id and o.product_id = p.id and o.id <> i.id)
          and not exists (select 1 from order_lines l join orders o on o.id = l.order_id
                          where l.tenant_id = p.tenant_id and l.product_id = p.id
                            and o.tenant_id = p.tenant_id and o.source_id <> ${scope.sourceId}::uuid)`,
  );
}

/**
 * Records which wine each variant is, once its row is written. A variant whose new code could not
 * be followed is now the wine of that code, and staff are told its earlier sales stay apart.
 */
async function rememberProducts(
  tx: Tx,
  scope: SyncScope,
  records: OdooRecord[],
  runId: string,
): Promise<number> {
  if (records.length === 0) return 0;
  const taken = await queryRows<{ external_id: string; before: string; now: string }>(
    tx,
    sql`select u.external_id, before.sku as before, u.sku as now
        from ${variantCodes(records)}
        join product_identities i on i.external_id = u.external_id
          and i.tenant_id = ${scope.tenantId}::uuid and i.source_id = ${scope.sourceId}::uuid
        join products before on before.id = i.product_id
        where before.sku <> u.sku
          and exists (select 1 from products q where q.tenant_id = before.tenant_id and q.sku = u.sku)`,
  );
  await tx.execute(
    sql`insert into product_identities (tenant_id, product_id, source_id, external_id)
        select ${scope.tenantId}::uuid, p.id, ${scope.sourceId}::uuid, u.external_id
        from ${variantCodes(records)}
        join products p on p.tenant_id = ${scope.tenantId}::uuid and p.sku = u.sku
        on conflict (tenant_id, source_id, external_id) do update
          set product_id = excluded.product_id, updated_at = now()
          where product_identities.product_id <> excluded.product_id`,
  );
  if (taken.length > 0)
    await upsertAnomalies(
      tx,
      { tenantId: scope.tenantId, sourceId: scope.sourceId, runId, entity: "products" },
      taken.map((t) => ({
        key: t.before,
        line: null,
        anomaly: anomaly("product.code_changed", "sku", `${t.before} → ${t.now}`),
      })),
    );
  return 0;
}

// ---------------------------------------------------------------- order lines

const ORDER_FIELDS = [
  "name",
  "partner_id",
  "date_order",
  "state",
  "user_id",
  "team_id",
  "currency_rate",
  "write_date",
];

/**
 * One way the estate sells in Odoo: sales orders, or the cellar door's till (point_of_sale). Both
 * give orders and lines, read the same way and written as the same rows.
 */
interface SalesChannel {
  orderModel: "sale.order" | "pos.order";
  lineModel: "sale.order.line" | "pos.order.line";
  orderFields: string[];
  lineFields: string[];
  /** The lines that are sales, whatever their order says (their order is checked too). */
  lineBase: OdooDomain;
  /** The lines of some orders that are sales. */
  linesOf: (orderIds: number[]) => OdooDomain;
  /** The orders that are sales. */
  soldOrders: OdooDomain;
  /** Which changed orders to look at (the till's anonymous tickets are of no one's history). */
  changedOrders: OdooDomain;
  isSale: (order: OdooRecord) => boolean;
  /** A line, in a sales line's shape, still sold (a till's line given back in full is not). */
  keepLine: (line: OdooRecord) => boolean;
  /** Orders whose lines changed through other orders (a refund gives back a ticket's bottles). */
  touchedBy: (orderIds: number[]) => Promise<number[]>;
  asLine: (line: OdooRecord) => OdooRecord;
  asOrder: (order: OdooRecord) => OdooRecord;
  lineIdPrefix: string;
}

/**
 * Confirmed sales lines, without section/note lines and down payments. Lines are read on their
 * own write_date; orders on theirs too, because confirming, cancelling or re-dating an order, or
 * deleting one of its lines, may not touch the lines that remain. Then, where point_of_sale is
 * installed, the till's paid orders of known customers, the same way.
 */
export async function orderLinesSync(scope: SyncScope): Promise<EntitySync> {
  const lineInfo = await schemaOf(scope, "sale.order.line");
  const orderInfo = await schemaOf(scope, "sale.order");
  const productInfo = await schemaOf(scope, "product.product");
  const fields = fieldsToRead("sale.order.line", lineInfo);
  const customFields = customFieldsOf(fields);
  const confirmed = new Set(confirmedOrderStates(orderInfo));
  // Not a wine sold: a section or note, a down payment, the carrier's shipping line, a service.
  const goods: OdooDomain = "type" in productInfo ? [["product_id.type", "not in", NOT_WINES]] : [];
  const sold: OdooDomain = [["display_type", "=", false], ...goods];
  if ("is_downpayment" in lineInfo) sold.push(["is_downpayment", "=", false]);
  if ("is_delivery" in lineInfo) sold.push(["is_delivery", "=", false]);
  const lineBase: OdooDomain = [...sold];
  if ("state" in lineInfo) lineBase.push(["state", "in", [...confirmed]]);
  const sales: SalesChannel = {
    orderModel: "sale.order",
    lineModel: "sale.order.line",
    orderFields: ORDER_FIELDS.filter((f) => f in orderInfo),
    lineFields: fields,
    lineBase,
    linesOf: (ids) => [["order_id", "in", ids], ...sold],
    soldOrders: [["state", "in", [...confirmed]]],
    changedOrders: [],
    isSale: (o) => confirmed.has(String(o.state)),
    keepLine: () => true,
    touchedBy: async () => [],
    asLine: (l) => l,
    asOrder: (o) => o,
    lineIdPrefix: "",
  };
  const channels = [sales, ...(await tillChannel(scope, goods))];
  const skus = new Map<number, string>();
  const productUnits = new Map<number, number | null>();
  const productUnitNames = new Map<number, string>();
  const productCodeFields = ["default_code", "uom_id"].filter((f) => f in productInfo);
  const units = await unitsOfMeasure(scope);

  const lookups = async (channel: SalesChannel, odooLines: OdooRecord[], known: OdooRecord[]) => {
    const lines = odooLines.map(channel.asLine);
    const orders = new Map(known.map((o) => [o.id, channel.asOrder(o)]));
    const orderIds = unique(
      lines
        .map((l) => m2oId(l.order_id))
        .filter((id): id is number => id !== null && !orders.has(id)),
    );
    for (const o of await scope.reader.byIds(channel.orderModel, orderIds, channel.orderFields))
      orders.set(o.id, channel.asOrder(o));
    const productIds = unique(
      lines
        .map((l) => m2oId(l.product_id))
        .filter((id): id is number => id !== null && !skus.has(id)),
    );
    for (const p of await scope.reader.byIds("product.product", productIds, productCodeFields)) {
      skus.set(p.id, skuOfProduct(p));
      productUnits.set(p.id, m2oId(p.uom_id));
      if (Array.isArray(p.uom_id)) productUnitNames.set(p.id, String(p.uom_id[1]));
    }
    const lineUnit = (l: OdooRecord) => m2oId(l.product_uom_id ?? l.product_uom);
    await units.learn([...lines.map(lineUnit), ...productUnits.values()]);
    const isSold = (l: OdooRecord) => {
      const order = orders.get(m2oId(l.order_id) ?? -1);
      return (
        order !== undefined &&
        channel.isSale(order) &&
        m2oId(l.product_id) !== null &&
        channel.keepLine(l)
      );
    };
    return {
      records: lines.filter(isSold),
      context: {
        timeZone: scope.config.timeZone,
        types: lineInfo,
        orderOf: (id: number) => orders.get(id),
        skuOf: (id: number) => skus.get(id) ?? `odoo-${id}`,
        unitsPerLineUnit: (l: OdooRecord) =>
          units.ratio(lineUnit(l), productUnits.get(m2oId(l.product_id) ?? -1) ?? null),
        unitNameOf: (l: OdooRecord) => productUnitNames.get(m2oId(l.product_id) ?? -1) ?? null,
        lineIdPrefix: channel.lineIdPrefix,
      },
    };
  };

  // Sales lines synced before 2026-12 were counted in their own unit (a carton as 1) and their
  // order's currency: read them all once again from the beginning of time, page after page like
  // any change, so that a sync stopped on the way goes on from where it was.
  const recount =
    typeof scope.cursor["sale.order.line"] === "string" && scope.cursor[COUNTED_IN] !== COUNTED;
  const read = recount
    ? { ...scope, cursor: { ...scope.cursor, "sale.order.line": BEGINNING } }
    : scope;
  async function* channelPages(channel: SalesChannel): AsyncGenerator<SyncPage> {
    const { orderModel, lineModel } = channel;
    if (recount && channel === sales)
      yield {
        ...(await lookups(channel, [], [])),
        cursor: { "sale.order.line": BEGINNING, [COUNTED_IN]: COUNTED },
      };
    for await (const page of changedPages(read, lineModel, channel.lineBase, channel.lineFields))
      yield { ...(await lookups(channel, page.records, [])), cursor: page.cursor };
    // Reading every sold line already covered every order (and a full sync compares ids to
    // remove the cancelled or deleted ones): only the cursor moves.
    if (sinceOf(read, orderModel) === null && sinceOf(read, lineModel) === null) {
      yield {
        ...(await lookups(channel, [], [])),
        cursor: { ...(await latestCursor(scope, orderModel)), [COUNTED_IN]: COUNTED },
      };
      return;
    }
    for await (const page of changedPages(
      read,
      orderModel,
      channel.changedOrders,
      channel.orderFields,
    )) {
      const changed = new Set(page.records.map((o) => o.id));
      const touched = (await channel.touchedBy([...changed])).filter((id) => !changed.has(id));
      const records = [
        ...page.records,
        ...(await scope.reader.byIds(orderModel, touched, channel.orderFields)),
      ];
      const orders = records.map(channel.asOrder);
      const soldOrders = orders.filter(channel.isSale);
      const others = orders.filter((o) => !channel.isSale(o));
      const lines = await scope.reader.all(
        lineModel,
        channel.linesOf(soldOrders.map((o) => o.id)),
        channel.lineFields,
      );
      yield {
        ...(await lookups(channel, lines, records)),
        cursor: page.cursor,
        alsoInTransaction: (tx, written) =>
          replaceOrders(
            tx,
            scope,
            soldOrders.map((o) => String(o.name)),
            others.map((o) => String(o.name)),
            written,
          ),
      };
    }
  }

  return {
    entity: "order_lines",
    model: "sale.order.line",
    customFields,
    async *pages(): AsyncGenerator<SyncPage> {
      for (const channel of channels) yield* channelPages(channel);
    },
    finish: scope.reconcile ? (db) => removeDeletedOrders(db, scope, channels) : undefined,
  };
}

/**
 * In the cursor once the order lines are counted as they are now: in their product's unit and
 * the company's currency (since 2026-12). Another value reads every sales line once again.
 */
const COUNTED_IN = "sale.order.line.counted_in";
const COUNTED = "product-unit, company-currency";
const BEGINNING = "1970-01-01 00:00:00";

/**
 * The cellar door's till, where point_of_sale is installed and readable: its paid orders of a
 * known customer (most are anonymous, and a sale here is someone's). A refund is an order of its
 * own whose negative lines point at the lines they give back: those count net of it, and a line
 * given back in full is not a sale. A sales order settled at the till (pos_sale) is the sales
 * order's, already counted there. Its line ids are its own, so their keys are "#pos-<id>".
 */
async function tillChannel(scope: SyncScope, goods: OdooDomain): Promise<SalesChannel[]> {
  let orderInfo: FieldsInfo;
  let lineInfo: FieldsInfo;
  try {
    orderInfo = await schemaOf(scope, "pos.order");
    lineInfo = await schemaOf(scope, "pos.order.line");
  } catch (error) {
    if (isModelUnavailable(error)) return [];
    throw error;
  }
  const paid = POS_SOLD_STATES;
  const sale: OdooDomain = [["qty", ">", 0], ...goods];
  if ("sale_order_origin_id" in lineInfo) sale.push(["sale_order_origin_id", "=", false]);
  if ("is_reward_line" in lineInfo) sale.push(["is_reward_line", "=", false]); // pos_loyalty
  const known: OdooDomain = [["partner_id", "!=", false]];
  return [
    {
      orderModel: "pos.order",
      lineModel: "pos.order.line",
      orderFields: fieldsToRead("pos.order", orderInfo).filter((f) => !f.startsWith("x_")),
      lineFields: fieldsToRead("pos.order.line", lineInfo),
      lineBase: [...sale, ["order_id.state", "in", paid], ["order_id.partner_id", "!=", false]],
      linesOf: (ids) => [["order_id", "in", ids], ...sale],
      soldOrders: [["state", "in", paid], ...known],
      changedOrders: known,
      isSale: (o) => paid.includes(String(o.state)) && m2oId(o.partner_id) !== null,
      keepLine: (l) => Number(l.product_uom_qty) > 0,
      touchedBy: async (orderIds) => {
        if (!("refunded_orderline_id" in lineInfo) || orderIds.length === 0) return [];
        const refunds = await scope.reader.all(
          "pos.order.line",
          [
            ["order_id", "in", orderIds],
            ["refunded_orderline_id", "!=", false],
          ],
          ["refunded_orderline_id"],
        );
        const given = unique(
          refunds
            .map((r) => m2oId(r.refunded_orderline_id))
            .filter((id): id is number => id !== null),
        );
        const originals = await scope.reader.byIds("pos.order.line", given, ["order_id"]);
        return unique(
          originals.map((l) => m2oId(l.order_id)).filter((id): id is number => id !== null),
        );
      },
      asLine: posLineAsSaleLine,
      asOrder: posOrderAsSaleOrder,
      lineIdPrefix: "pos-",
    },
  ];
}

/**
 * Odoo's units of measure, to count bottles: a line sold by the carton of 6 is 6 bottles a
 * carton, whatever unit the estate chose. Up to Odoo 18 a unit's `factor` says how many times
 * smaller it is than its reference (a carton: 1/6); from 19 (no categories, `relative_factor`)
 * `factor` is its absolute quantity (a carton: 6). A user who may not read units counts lines as
 * they are, as before.
 */
async function unitsOfMeasure(scope: SyncScope) {
  const factors = new Map<number, number>();
  const asked = new Set<number>();
  let absolute = false;
  let readable = true;
  try {
    absolute = "relative_factor" in (await scope.reader.fieldsOf("uom.uom"));
  } catch (error) {
    if (!isModelUnavailable(error)) throw error;
    readable = false;
  }
  return {
    async learn(ids: Array<number | null>) {
      // Asked once each: a unit without a usable factor is not asked again on every page.
      const missing = unique(ids.filter((id): id is number => id !== null && !asked.has(id)));
      for (const id of missing) asked.add(id);
      if (!readable || missing.length === 0) return;
      try {
        for (const u of await scope.reader.byIds("uom.uom", missing, ["factor"]))
          if (typeof u.factor === "number" && u.factor > 0) factors.set(u.id, u.factor);
      } catch (error) {
        if (!(error instanceof OdooError) || error.code !== "odoo.access_error") throw error;
        readable = false;
      }
    },
    /** How many product units one line unit holds. */
    ratio(lineUnit: number | null, productUnit: number | null): number {
      if (lineUnit === null || productUnit === null || lineUnit === productUnit) return 1;
      const line = factors.get(lineUnit);
      const product = factors.get(productUnit);
      if (line === undefined || product === undefined) return 1;
      return absolute ? line / product : product / line;
    },
  };
}

/**
 * After the lines of some orders were written: a line no longer on its order goes, an order
 * cancelled or sent back to quotation goes with its lines, an order left without lines goes.
 */
async function replaceOrders(
  tx: Tx,
  scope: SyncScope,
  sales: string[],
  notSales: string[],
  written: Array<Record<string, unknown>>,
): Promise<number> {
  let removed = 0;
  const tenant = scope.tenantId;
  const source = scope.sourceId;
  if (sales.length > 0) {
    const docs = written.map((r) => String(r.document_number));
    const keys = written.map((r) => String(r.line_key));
    removed += await count(
      tx,
      sql`delete from order_lines l using orders o
          where l.order_id = o.id and o.tenant_id = ${tenant}::uuid and o.source_id = ${source}::uuid
            and o.document_number = any(${arrayParam(sales, "text")})
            and (o.document_number, l.line_key) not in (
              select d, k from unnest(${arrayParam(docs, "text")}, ${arrayParam(keys, "text")}) as u(d, k))
          returning l.id`,
    );
    removed += await count(
      tx,
      sql`delete from orders o where o.tenant_id = ${tenant}::uuid and o.source_id = ${source}::uuid
            and o.document_number = any(${arrayParam(sales, "text")})
            and not exists (select 1 from order_lines l where l.order_id = o.id)
          returning o.id`,
    );
  }
  if (notSales.length > 0)
    removed += await count(
      tx,
      sql`delete from orders where tenant_id = ${tenant}::uuid and source_id = ${source}::uuid
            and document_number = any(${arrayParam(notSales, "text")}) returning id`,
    );
  return removed;
}

/**
 * Orders deleted in Odoo (or no longer confirmed) leave our history too: they were not sales.
 * So do lines deleted one by one through the API, which does not touch their order.
 */
async function removeDeletedOrders(
  db: Db,
  scope: SyncScope,
  channels: SalesChannel[],
): Promise<number> {
  const names: string[] = [];
  const lineKeys: string[] = [];
  for (const channel of channels) {
    for (const o of await scope.reader.all(channel.orderModel, channel.soldOrders, ["name"]))
      names.push(String(o.name));
    for (const id of await scope.reader.ids(channel.lineModel, channel.lineBase))
      lineKeys.push(`#${channel.lineIdPrefix}${id}`);
  }
  // A till that cannot be read now (point_of_sale uninstalled, or the user's rights taken away)
  // says nothing of its orders: they stay.
  const tillRead = channels.some((c) => c.lineIdPrefix === "pos-");
  const keepTill = tillRead
    ? sql``
    : sql`and not exists (select 1 from order_lines t where t.order_id = orders.id and t.line_key like '#pos-%')`;
  return db.transaction(async (tx) => {
    const orders = await count(
      tx,
      sql`delete from orders where tenant_id = ${scope.tenantId}::uuid and source_id = ${scope.sourceId}::uuid
            and not (document_number = any(${arrayParam(names, "text")})) ${keepTill} returning id`,
    );
    // Only keys made from Odoo line ids ("#<id>", "#pos-<id>") can be compared; other mappings
    // keep theirs.
    const lines = await count(
      tx,
      sql`delete from order_lines l using orders o
          where l.order_id = o.id and o.tenant_id = ${scope.tenantId}::uuid and o.source_id = ${scope.sourceId}::uuid
            and l.line_key like '#%' and not (l.line_key = any(${arrayParam(lineKeys, "text")}))
            ${tillRead ? sql`` : sql`and l.line_key not like '#pos-%'`}
          returning l.id`,
    );
    return orders + lines;
  });
}

async function count(tx: Tx, query: ReturnType<typeof sql>): Promise<number> {
  return (await queryRows(tx, query)).length;
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];
