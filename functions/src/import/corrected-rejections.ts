import Papa from "papaparse";
import { sql } from "drizzle-orm";
import type { TableRow } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";

interface OpenRejection {
  anomalyId: string;
  cells: string[];
  /** How many of its fields were wrong: the cells a correction may change. */
  reasons: number;
}

/**
 * A line refused by an earlier import that this one reads correctly: the staff fixed the file
 * (a date of 31/02 made 28/02) or the reading (a date format given), and imported it again. Its
 * "line not imported" anomaly is then resolved instead of staying open against a sale that is
 * now in. The same line is the one at the same line number whose cells are those rejected, but
 * for at most as many as it had wrong fields: another file's line there is another sale.
 */
export async function createRejectionMatcher(
  db: Db,
  target: { tenantId: string; sourceId: string; entity: string },
) {
  const open = new Map<number, OpenRejection>();
  const rows = await queryRows<{
    id: string;
    line: number;
    raw: string;
    delimiter: string | null;
    reasons: number;
  }>(
    db,
    sql`select a.id, a.line_number as line, r.raw, s.delimiter, jsonb_array_length(r.reasons)::int as reasons
        from anomalies a
        join rejected_rows r on r.sync_run_id = a.sync_run_id and r.line_number = a.line_number
        join sync_runs s on s.id = a.sync_run_id
        where a.tenant_id = ${target.tenantId}::uuid and a.source_id = ${target.sourceId}::uuid
          and a.entity = ${target.entity} and a.code = 'row.rejected' and a.status = 'open'`,
  );
  for (const row of rows) {
    const [cells] = Papa.parse<string[]>(row.raw, { delimiter: row.delimiter ?? ";" }).data;
    if (cells) open.set(row.line, { anomalyId: row.id, cells, reasons: Math.max(1, row.reasons) });
  }
  const corrected: string[] = [];
  return {
    /** Told of each row read correctly. */
    accepted(row: TableRow): void {
      const rejection = open.get(row.line);
      if (!rejection) return;
      const width = Math.max(rejection.cells.length, row.cells.length);
      let changed = 0;
      for (let i = 0; i < width; i++)
        if ((rejection.cells[i] ?? "").trim() !== (row.cells[i] ?? "").trim()) changed++;
      if (changed <= rejection.reasons) corrected.push(rejection.anomalyId);
      open.delete(row.line);
    },
    async resolve(): Promise<void> {
      if (corrected.length === 0) return;
      await db.execute(
        sql`update anomalies set status = 'resolved', updated_at = now()
            where id = any(${arrayParam(corrected, "uuid")}) and status = 'open'`,
      );
    },
  };
}
