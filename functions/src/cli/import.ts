import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import {
  AppError,
  type DateFormat,
  describeIssues,
  encodings,
  type Encoding,
  type ImportEntity,
  importEntities,
  Mapping,
  uncertainFields,
} from "@crm-reco/core";
import { resolveIdentities } from "../identity/resolve-identities.ts";
import { refreshSegments } from "../recommend/segment-customers.ts";
import { importFile, type ImportSummary } from "../import/import-file.ts";
import { describeResolution } from "./customers.ts";
import { withEstate } from "./command-services.ts";
import { parseCommand } from "./options.ts";
import { createSource, findSourceByName } from "../repos/sources.ts";

const DELIMITERS: Record<string, string> = {
  ";": ";",
  ",": ",",
  "|": "|",
  tab: "\t",
  "\t": "\t",
  "\\t": "\t",
};

export async function runImport(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    entity: { type: "string" },
    source: { type: "string" },
    tenant: { type: "string" },
    mapping: { type: "string" },
    encoding: { type: "string" },
    delimiter: { type: "string" },
    "date-format": { type: "string" },
    sheet: { type: "string" },
    "dry-run": { type: "boolean" },
    "batch-size": { type: "string" },
    json: { type: "boolean" },
  });
  const [file, ...more] = positionals;
  if (!file || more.length > 0)
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco import <file> --entity customers|products|order_lines --source <name>",
    );
  const entity = oneOf("--entity", values.entity, importEntities) as ImportEntity;
  if (!values.source)
    throw new AppError(
      "cli.invalid",
      "--source <name> is required (a file source is created on first use).",
    );
  const encoding =
    values.encoding === undefined
      ? undefined
      : (oneOf(
          "--encoding",
          values.encoding.toLowerCase().replace(/^cp1252$|^latin-?1$/, "windows-1252"),
          encodings,
        ) as Encoding);
  const delimiter = values.delimiter === undefined ? undefined : DELIMITERS[values.delimiter];
  if (values.delimiter !== undefined && !delimiter)
    throw new AppError(
      "cli.invalid",
      `--delimiter must be one of ; , | tab (not ${JSON.stringify(values.delimiter)}).`,
    );
  const dateFormat =
    values["date-format"] === undefined
      ? undefined
      : (oneOf("--date-format", values["date-format"], [
          "dmy",
          "mdy",
          "ymd",
          "excel",
        ]) as DateFormat);
  const batchSize = values["batch-size"] === undefined ? undefined : Number(values["batch-size"]);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1))
    throw new AppError("cli.invalid", "--batch-size must be a positive whole number.");
  const mapping = values.mapping ? await readMapping(values.mapping, entity) : undefined;
  const size = await stat(file).catch(() => {
    throw new AppError("import.file_not_found", `No file at ${file}.`);
  });
  if (!size.isFile()) throw new AppError("import.file_not_found", `${file} is not a file.`);

  const sourceName = values.source;
  return withEstate(values, async (services, tenant) => {
    const source =
      (await findSourceByName(services.db.db, tenant.id, sourceName)) ??
      (await createSource(services.db.db, tenant.id, { name: sourceName, kind: "file" }));
    const checksum = await sha256Of(file);
    // The file is kept in the blob store, as an upload would be: the run can be replayed from it.
    const key = `${tenant.id}/imports/${checksum}/${basename(file)}`;
    if (!(await services.blobs.head(key)))
      await services.blobs.put(
        key,
        Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      );
    const summary = await importFile(services, {
      tenantId: tenant.id,
      sourceId: source.id,
      entity,
      fileName: basename(file),
      checksum,
      open: () => services.blobs.get(key),
      trigger: "cli",
      mapping,
      read: { encoding, delimiter, sheet: values.sheet },
      dateFormat,
      dryRun: Boolean(values["dry-run"]),
      batchSize,
    });
    // New or changed customers may be people already known from another source.
    const resolves = summary.status !== "failed" && !summary.dryRun && entity === "customers";
    const identities = resolves ? await resolveIdentities(services.db.db, tenant.id) : null;
    if (summary.status !== "failed" && !summary.dryRun && entity !== "products")
      await refreshSegments(services.db.db, tenant.id);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ ...summary, identities })}\n`
        : describe(summary, source.name) +
            (identities ? `  ${describeResolution(identities)}\n` : ""),
    );
    return summary.status === "failed" ? 1 : 0;
  });
}

function oneOf(flag: string, value: string | undefined, allowed: readonly string[]): string {
  if (value === undefined || !allowed.includes(value))
    throw new AppError(
      "cli.invalid",
      `${flag} must be one of ${allowed.join(", ")}${value === undefined ? "" : ` (not "${value}")`}.`,
    );
  return value;
}

async function readMapping(path: string, entity: ImportEntity): Promise<Mapping> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new AppError(
      "mapping.invalid",
      `Cannot read the mapping ${path}: ${(error as Error).message}`,
    );
  }
  const withEntity =
    json && typeof json === "object" && !("entity" in json) ? { entity, ...json } : json;
  const parsed = Mapping.safeParse(withEntity);
  if (!parsed.success)
    throw new AppError(
      "mapping.invalid",
      `The mapping ${path} is not valid: ${describeIssues(parsed.error.issues)}`,
    );
  if (parsed.data.entity !== entity)
    throw new AppError(
      "mapping.invalid",
      `The mapping is for ${parsed.data.entity}, not ${entity}.`,
    );
  return parsed.data;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function describe(s: ImportSummary, sourceName: string): string {
  const lines = [
    `${s.dryRun ? "Dry run (nothing saved)" : `Run ${s.runId}`}: ${s.status}${s.resumed ? " (resumed)" : ""} — source "${sourceName}"`,
    `  read ${s.rowsRead} rows: ${s.rowsInserted} inserted, ${s.rowsUpdated} updated, ${s.rowsUnchanged} unchanged, ${s.rowsRejected} rejected`,
    s.encoding || s.sheet
      ? `  format: ${s.sheet ? `sheet "${s.sheet}"` : `${s.encoding}, delimiter ${JSON.stringify(s.delimiter)}`}`
      : "",
    s.qualityScore === null
      ? ""
      : `  quality score: ${s.qualityScore}/100 — anomalies: ${s.anomalies.critical} critical, ${s.anomalies.high} high, ${s.anomalies.medium} medium, ${s.anomalies.low} low`,
    s.mapping
      ? `  mapping: ${Object.entries(s.mapping.fields)
          .map(([field, col]) => `${typeof col === "string" ? col : col.column} → ${field}`)
          .join(", ")}`
      : "",
    ...uncertainFields(s.mappingSuggestions).map(
      (u) =>
        `  check the mapping: column "${u.column}" taken for ${u.field} at ${Math.round(u.confidence * 100)} % (give --mapping, or correct it in the web app's mapping editor)`,
    ),
    ...s.warnings.map((w) => `  warning (${w.code}): ${w.message}`),
    ...s.errors.map((e) => `  error (${e.code}): ${e.message}`),
    ...s.rejectedSample
      .slice(0, 5)
      .map(
        (r) => `  line ${r.line} rejected: ${r.reasons.map((reason) => reason.message).join("; ")}`,
      ),
  ];
  return lines.filter(Boolean).join("\n") + "\n";
}
