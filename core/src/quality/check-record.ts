import type { CanonicalRecord } from "../import/build-record.ts";
import type { ImportEntity } from "../mapping/canonical-fields.ts";
import { guessProductKind } from "../normalize/product-kind.ts";
import { type Anomaly, anomaly } from "./anomaly-catalogue.ts";
import { foldText } from "../normalize/text.ts";

/** Fields that are not required but make a record useful; an empty one is a low anomaly. */
export const usefulFields: Record<ImportEntity, string[]> = {
  customers: ["last_name", "email", "postal_code", "city"],
  products: ["name", "color", "appellation", "vintage", "size_ml", "price_incl_tax"],
  order_lines: ["unit_price"],
};
const WINE_ONLY = new Set(["color", "appellation", "vintage", "size_ml"]);

/** Sparkling wines are mostly blends of years: a Crémant Brut has no vintage to miss. */
const NON_VINTAGE =
  /(?<![\p{L}\p{N}])(cr[ée]mant|champagne|brut|nv|non[- ]mill[ée]sim[ée])(?![\p{L}\p{N}])/iu;

/**
 * The useful fields of this record: a product that is no wine ("Frais de port", a wooden case)
 * has no colour, appellation, vintage or bottle size to miss, and a sparkling wine no vintage.
 */
export function usefulFieldsOf(entity: ImportEntity, record: CanonicalRecord): string[] {
  if (entity !== "products" || typeof record.name !== "string") return usefulFields[entity];
  const sku = typeof record.sku === "string" ? record.sku : null;
  const category = typeof record.category === "string" ? record.category : null;
  if (guessProductKind(record.name, sku, category).kind !== "wine")
    return usefulFields.products.filter((f) => !WINE_ONLY.has(f));
  return record.color === "sparkling" || NON_VINTAGE.test(record.name)
    ? usefulFields.products.filter((f) => f !== "vintage")
    : usefulFields.products;
}

/** What the checks may consult beyond the record: the official list of towns of a French postal code. */
export interface CheckContext {
  postalTowns?: (postalCode: string) => readonly string[];
}

const townKey = (town: string) =>
  foldText(town)
    .replace(/\bcedex\b.*$/, "")
    .replace(/\bste\b/g, "sainte")
    .replace(/\bst\b/g, "saint")
    .replace(/[^a-z]/g, "");

/** A French postal code must exist and serve the town written beside it. */
function checkPostalTown(
  record: CanonicalRecord,
  postalTowns: (code: string) => readonly string[],
  found: Anomaly[],
) {
  const code = record.postal_code;
  const city = record.city;
  if (
    typeof code !== "string" ||
    !/^\d{5}$/.test(code) ||
    (record.country && record.country !== "FR")
  )
    return;
  const towns = postalTowns(code);
  if (towns.length === 0) {
    found.push(anomaly("postal_code.unknown", "postal_code", code));
    return;
  }
  if (
    typeof city === "string" &&
    city.trim() !== "" &&
    !towns.some((town) => townKey(town) === townKey(city))
  ) {
    found.push(anomaly("postal_code.city_mismatch", "city", `${code} ${city}`));
  }
}

const CREDIT_NOTE = /^(av|avoir|cn|credit|rembt)|avoir/i;

/**
 * Checks one normalised record against what a person checking the file would flag: dates and
 * vintages in the future, negative quantities outside a credit note, quantity × unit price not
 * matching the total, useful fields left empty (only those the mapping provides).
 */
export function checkRecord(
  entity: ImportEntity,
  record: CanonicalRecord,
  mappedFields: ReadonlySet<string>,
  today: string,
  context: CheckContext = {},
): Anomaly[] {
  const found: Anomaly[] = [];
  for (const field of usefulFieldsOf(entity, record)) {
    if (mappedFields.has(field) && (record[field] === null || record[field] === undefined))
      found.push(anomaly("field.missing", field, null));
  }
  if (entity === "customers" && context.postalTowns)
    checkPostalTown(record, context.postalTowns, found);
  if (entity === "order_lines") {
    if (typeof record.order_date === "string" && record.order_date.slice(0, 10) > today)
      found.push(anomaly("date.future", "order_date", record.order_date));
    const quantity = record.quantity as number;
    if (quantity < 0 && !CREDIT_NOTE.test(String(record.document_number)))
      found.push(anomaly("order_line.negative_quantity", "quantity", quantity));
    if (typeof record.unit_price === "number" && typeof record.total === "number") {
      const expected = quantity * record.unit_price;
      if (Math.abs(expected - record.total) > Math.max(0.05, Math.abs(record.total) * 0.01)) {
        found.push(
          anomaly(
            "order_line.total_mismatch",
            "total",
            `${quantity} × ${record.unit_price} = ${Math.round(expected * 100) / 100} ≠ ${record.total}`,
          ),
        );
      }
    }
  }
  if (
    entity === "products" &&
    typeof record.vintage === "number" &&
    record.vintage > Number(today.slice(0, 4))
  ) {
    found.push(anomaly("vintage.future", "vintage", record.vintage));
  }
  // Wine sells at 20 % VAT in France: a price pair more than 2 % apart from that is a typo.
  if (
    entity === "products" &&
    typeof record.price_incl_tax === "number" &&
    typeof record.price_excl_tax === "number"
  ) {
    const expected = record.price_excl_tax * 1.2;
    if (Math.abs(expected - record.price_incl_tax) > Math.max(0.02, record.price_incl_tax * 0.02)) {
      found.push(
        anomaly(
          "price.vat_mismatch",
          "price_incl_tax",
          `${record.price_excl_tax} HT × 1,20 ≠ ${record.price_incl_tax} TTC`,
        ),
      );
    }
  }
  return found;
}
