import {
  defaultOdooMappings,
  flattenRecords,
  headerSignature,
  type ImportEntity,
  type Mapping,
  odooColumns,
  type TableRow,
} from "@crm-reco/core";
import { findMappingForHeaders } from "../repos/mappings.ts";
import type { Source } from "../repos/sources.ts";
import type { Services } from "../services.ts";
import { connectOdoo } from "./connect-odoo.ts";
import { customersSync, orderLinesSync, productsSync, type SyncScope } from "./odoo-entities.ts";
import { createOdooReader } from "./odoo-reader.ts";
import { connectionOfSource, parseOdooConfig } from "./odoo-source.ts";

const builders = { customers: customersSync, products: productsSync, order_lines: orderLinesSync };

/**
 * The first records of one entity as the sync would read them: the columns (custom `x_` fields
 * included) a mapping can use, the rows, and the mapping that applies now (the estate's saved one
 * for these columns, else the default). Nothing is written.
 */
export async function previewOdooSource(
  services: Pick<Services, "db" | "secretKey">,
  source: Source,
  entity: ImportEntity,
  count: number,
): Promise<{ columns: string[]; rows: TableRow[]; mapping: Mapping; saved: boolean }> {
  const config = parseOdooConfig(source.config);
  const transport = await connectOdoo(connectionOfSource(source, services.secretKey));
  const scope: SyncScope = {
    db: services.db.db,
    tenantId: source.tenantId,
    sourceId: source.id,
    reader: createOdooReader(transport, count),
    config,
    cursor: {},
    full: true,
    reconcile: false,
  };
  const sync = await builders[entity](scope);
  const columns = [...odooColumns[entity], ...sync.customFields];
  const rows: TableRow[] = [];
  for await (const page of sync.pages()) {
    const table = flattenRecords(entity, page.records, sync.customFields, page.context);
    for (const row of table.rows.slice(0, count - rows.length))
      rows.push({ line: row.id, values: row.values, extra: [], cells: row.values });
    break; // one page is the preview
  }
  const saved = await findMappingForHeaders(
    services.db.db,
    source.tenantId,
    source.id,
    entity,
    headerSignature(columns),
  );
  return {
    columns,
    rows,
    mapping: {
      entity,
      fields: (saved?.fields as Mapping["fields"] | undefined) ?? defaultOdooMappings[entity],
    },
    saved: saved !== undefined,
  };
}
