import {
  type FieldsInfo,
  type Keyset,
  type OdooDomain,
  type OdooRecord,
  PAGE_ORDER,
  pageDomain,
} from "@crm-reco/core";
import type { OdooTransport } from "./odoo-transport.ts";

/** Archived records too: an archived customer or wine is still part of the estate's history. */
export const WITH_ARCHIVED = { active_test: false };

/** Reading helpers over a transport: schema, keyset pages, records by id. */
export function createOdooReader(transport: OdooTransport, pageSize: number) {
  const schemas = new Map<string, Promise<FieldsInfo>>();
  return {
    transport,
    pageSize,

    fieldsOf(model: string): Promise<FieldsInfo> {
      let schema = schemas.get(model);
      if (!schema) {
        schema = transport.call<FieldsInfo>(model, "fields_get", {
          attributes: ["type", "string", "relation", "selection"],
        });
        schema.catch(() => schemas.delete(model)); // a failed discovery is asked again next time
        schemas.set(model, schema);
      }
      return schema;
    },

    /** One page of records changed since `since`, from the keyset `at`, oldest first. */
    page(
      model: string,
      base: OdooDomain,
      fields: string[],
      since: string | null,
      at: Keyset | null,
    ): Promise<OdooRecord[]> {
      return transport.call<OdooRecord[]>(model, "search_read", {
        domain: pageDomain(base, since, at),
        fields,
        limit: pageSize,
        order: at && "second" in at ? "id asc" : PAGE_ORDER,
        context: WITH_ARCHIVED,
      });
    },

    /** Every record matching a domain (for the children of one page: lines of some orders…). */
    async all(model: string, domain: OdooDomain, fields: string[]): Promise<OdooRecord[]> {
      const records: OdooRecord[] = [];
      for (let after = 0; ;) {
        const page = await transport.call<OdooRecord[]>(model, "search_read", {
          domain: [...domain, ["id", ">", after]],
          fields,
          limit: pageSize,
          order: "id asc",
          context: WITH_ARCHIVED,
        });
        records.push(...page);
        if (page.length < pageSize) return records;
        after = page.at(-1)!.id;
      }
    },

    async byIds(model: string, ids: number[], fields: string[]): Promise<OdooRecord[]> {
      if (ids.length === 0) return [];
      const records: OdooRecord[] = [];
      for (let i = 0; i < ids.length; i += pageSize)
        records.push(
          ...(await transport.call<OdooRecord[]>(model, "read", {
            ids: ids.slice(i, i + pageSize),
            fields,
            context: WITH_ARCHIVED,
          })),
        );
      return records;
    },

    /** Every id of a model matching the domain, archived included (deletion detection). */
    async ids(model: string, domain: OdooDomain): Promise<number[]> {
      const ids: number[] = [];
      const chunk = pageSize * 10;
      for (let after = 0; ;) {
        const page = await transport.call<number[]>(model, "search", {
          domain: [...domain, ["id", ">", after]],
          limit: chunk,
          order: "id asc",
          context: WITH_ARCHIVED,
        });
        ids.push(...page);
        if (page.length < chunk) return ids;
        after = page.at(-1)!;
      }
    },
  };
}

export type OdooReader = ReturnType<typeof createOdooReader>;
