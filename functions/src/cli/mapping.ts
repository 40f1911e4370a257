import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import {
  AppError,
  canonicalFields,
  headerSignature,
  type ImportEntity,
  importEntities,
  type Mapping,
  suggestMapping,
} from "@crm-reco/core";
import { openTable } from "@crm-reco/core/pipeline";
import { findMappingForHeaders } from "../repos/mappings.ts";
import { findSourceByName } from "../repos/sources.ts";
import { withEstate } from "./command-services.ts";
import { parseCommand } from "./options.ts";

/** `crm-reco mapping suggest <file> --entity E [--source S]`: the mapping an import would apply. */
export async function runMapping(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "suggest")
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco mapping suggest <file> --entity customers|products|order_lines [--source NAME] [--json]",
    );
  const { values, positionals } = parseCommand(rest, {
    entity: { type: "string" },
    source: { type: "string" },
    tenant: { type: "string" },
    sheet: { type: "string" },
    json: { type: "boolean" },
  });
  const [file] = positionals;
  if (!file)
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco mapping suggest <file> --entity customers|products|order_lines",
    );
  if (!values.entity || !importEntities.includes(values.entity as ImportEntity))
    throw new AppError("cli.invalid", `--entity must be one of ${importEntities.join(", ")}.`);
  const entity = values.entity as ImportEntity;
  if (!(await stat(file).catch(() => undefined))?.isFile())
    throw new AppError("import.file_not_found", `No file at ${file}.`);

  const table = await openTable(
    Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    { sheet: values.sheet },
  );
  const sample: string[][] = [];
  for await (const row of table.rows) {
    sample.push(row.values);
    if (sample.length >= 200) break;
  }
  let saved: { headerSignature: string; fields: Mapping["fields"] } | undefined;
  const sourceName = values.source;
  if (sourceName) {
    await withEstate(values, async (services, tenant) => {
      const source = await findSourceByName(services.db.db, tenant.id, sourceName);
      const row =
        source &&
        (await findMappingForHeaders(
          services.db.db,
          tenant.id,
          source.id,
          entity,
          headerSignature(table.info.columns),
        ));
      if (row)
        saved = { headerSignature: row.headerSignature, fields: row.fields as Mapping["fields"] };
    });
  }
  const suggestion = suggestMapping(entity, table.info.columns, sample, saved);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ ...suggestion, encoding: table.info.encoding, delimiter: table.info.delimiter, sheet: table.info.sheet })}\n`,
    );
  } else {
    const labels = new Map(canonicalFields[entity].map((f) => [f.key, f.label.fr]));
    const lines = suggestion.suggestions.map(
      (s) =>
        `  ${s.column.padEnd(28)} → ${s.field.padEnd(22)} ${(s.confidence * 100).toFixed(0).padStart(3)} %  ${s.method}  (${labels.get(s.field)})`,
    );
    process.stdout.write(
      [
        `Suggested mapping for ${entity} (${table.info.format}${table.info.encoding ? `, ${table.info.encoding}, delimiter ${JSON.stringify(table.info.delimiter)}` : `, sheet "${table.info.sheet}"`}):`,
        ...lines,
        suggestion.unmappedColumns.length > 0
          ? `  not mapped: ${suggestion.unmappedColumns.join(", ")}`
          : "",
        suggestion.missingRequired.length > 0
          ? `  MISSING required fields: ${suggestion.missingRequired.join(", ")} (give a --mapping file to import)`
          : "",
      ]
        .filter(Boolean)
        .join("\n") + "\n",
    );
  }
  return suggestion.missingRequired.length > 0 ? 1 : 0;
}
