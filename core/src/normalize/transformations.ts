import { z } from "zod";
import { type DateFormat, parseDate } from "../parse/date.ts";
import { parseNumber } from "../parse/number.ts";
import { parseBooleanWord, parseWineColor } from "../parse/words.ts";
import { toAppellation } from "./appellation.ts";
import { stripLegalForm } from "./company.ts";
import { toCountryCode } from "./country.ts";
import { normalizeEmail } from "./email.ts";
import { splitFullName } from "./person-name.ts";
import { normalizePhone } from "./phone.ts";
import { normalizePostalCode } from "./postal-code.ts";
import { changeCase, collapseSpaces } from "./text.ts";
import { excludeVat, includeVat } from "./vat.ts";
import { sizeFromLabel, vintageFromLabel } from "./wine-label.ts";

/** One step of a field's transformation chain, as saved in a mapping. */
export const Transformation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("trim") }),
  z.object({ kind: z.literal("case"), to: z.enum(["upper", "lower", "title"]) }),
  z.object({
    kind: z.literal("split_name"),
    part: z.enum(["civility", "first_name", "last_name"]),
  }),
  z.object({ kind: z.literal("strip_legal_form") }),
  z.object({ kind: z.literal("email") }),
  z.object({ kind: z.literal("phone"), defaultCountry: z.string().length(2).default("FR") }),
  z.object({ kind: z.literal("postal_code") }),
  z.object({ kind: z.literal("country") }),
  z.object({ kind: z.literal("number"), decimal: z.enum([",", "."]).optional() }),
  z.object({
    kind: z.literal("date"),
    format: z.enum(["dmy", "mdy", "ymd", "excel"]).default("dmy"),
  }),
  z.object({ kind: z.literal("boolean") }),
  z.object({
    kind: z.literal("lookup"),
    table: z.record(z.string(), z.string()),
    otherwise: z.enum(["keep", "empty", "issue"]).default("keep"),
  }),
  z.object({ kind: z.literal("vintage_from_label") }),
  z.object({ kind: z.literal("size_from_label") }),
  z.object({ kind: z.literal("color") }),
  z.object({ kind: z.literal("appellation") }),
  z.object({ kind: z.literal("constant"), value: z.string() }),
  z.object({
    kind: z.literal("concat"),
    columns: z.array(z.string()).min(1),
    separator: z.string().default(" "),
  }),
  z.object({
    kind: z.literal("vat"),
    direction: z.enum(["exclude", "include"]),
    rate: z.number().min(0).max(1).default(0.2),
  }),
]);
export type Transformation = z.infer<typeof Transformation>;
export type TransformationKind = Transformation["kind"];

export type Value = string | number | boolean | null;

export interface StepResult {
  value: Value;
  /** What is wrong with the value, when something is (the value is kept as it was). */
  issue?: { code: string; message: string };
}

/** The other cells of the row, by column name, for steps that combine columns. */
export type RowLookup = (column: string) => string;

const text = (value: Value) => (value === null ? "" : String(value));
const issue = (value: Value, code: string, message: string): StepResult => ({
  value,
  issue: { code, message },
});

/**
 * Applies one step. Every step takes what the previous one gave; an empty value stays empty; a
 * value a step cannot read is kept as it was, with an issue saying why (never replaced by a guess).
 */
export function applyTransformation(
  step: Transformation,
  value: Value,
  row: RowLookup,
): StepResult {
  if (step.kind === "constant") return { value: step.value };
  if (step.kind === "concat")
    return {
      value:
        collapseSpaces(
          step.columns
            .map(row)
            .filter((s) => s.trim() !== "")
            .join(step.separator),
        ) || null,
    };
  const s = text(value);
  if (s.trim() === "") return { value: null };
  switch (step.kind) {
    case "trim":
      return { value: collapseSpaces(s) };
    case "case":
      return { value: changeCase(s, step.to) };
    case "split_name": {
      const name = splitFullName(s);
      return {
        value:
          step.part === "civility"
            ? name.civility
            : step.part === "first_name"
              ? name.firstName
              : name.lastName,
      };
    }
    case "strip_legal_form":
      return { value: stripLegalForm(s) };
    case "email": {
      const email = normalizeEmail(s);
      return email.valid
        ? { value: email.value }
        : issue(email.value, "email.invalid", `"${s}" is not a valid e-mail address`);
    }
    case "phone": {
      const phone = normalizePhone(s, step.defaultCountry);
      return phone.valid
        ? { value: phone.value }
        : issue(phone.value, "phone.invalid", `"${s}" is not a valid phone number`);
    }
    case "postal_code": {
      const code = normalizePostalCode(s);
      return code.valid
        ? { value: code.value }
        : issue(code.value, "postal_code.invalid", `"${s}" is not a French postal code`);
    }
    case "country": {
      const code = toCountryCode(s);
      return code ? { value: code } : issue(s, "country.unknown", `"${s}" is not a known country`);
    }
    case "number": {
      const n = parseNumber(s, step.decimal);
      return n.ok ? { value: n.value } : issue(s, "number.invalid", n.reason);
    }
    case "date": {
      const d = parseDate(s, step.format as DateFormat);
      return d.ok ? { value: d.value } : issue(s, "date.invalid", d.reason);
    }
    case "boolean": {
      const b = parseBooleanWord(s);
      return b === undefined ? issue(s, "boolean.invalid", `"${s}" is not yes/no`) : { value: b };
    }
    case "lookup": {
      const key = Object.keys(step.table).find(
        (k) => k.localeCompare(s.trim(), "fr", { sensitivity: "base" }) === 0,
      );
      if (key !== undefined) return { value: step.table[key]! };
      if (step.otherwise === "empty") return { value: null };
      return step.otherwise === "issue"
        ? issue(s, "lookup.missing", `"${s}" is not in the table`)
        : { value };
    }
    case "vintage_from_label":
      return { value: vintageFromLabel(s) };
    case "size_from_label":
      return { value: sizeFromLabel(s) };
    case "color":
      return { value: parseWineColor(s) };
    case "appellation": {
      const name = toAppellation(s);
      return name
        ? { value: name }
        : issue(s, "appellation.unknown", `"${s}" is not in the appellation vocabulary`);
    }
    case "vat": {
      const n = typeof value === "number" ? { ok: true as const, value } : parseNumber(s);
      if (!n.ok || n.value === null) return issue(s, "number.invalid", `"${s}" is not an amount`);
      return {
        value:
          step.direction === "exclude"
            ? excludeVat(n.value, step.rate)
            : includeVat(n.value, step.rate),
      };
    }
  }
}

/** Runs a chain; stops at the first issue, returning the value as it was then. */
export function applyChain(steps: Transformation[], value: Value, row: RowLookup): StepResult {
  let current: StepResult = { value };
  for (const step of steps) {
    current = applyTransformation(step, current.value, row);
    if (current.issue) return current;
  }
  return current;
}

/** The catalogue shown to staff (and served by the API): every kind, with FR/EN labels. */
export const transformationCatalogue: Array<{
  kind: TransformationKind;
  label: { fr: string; en: string };
}> = [
  {
    kind: "trim",
    label: { fr: "Supprimer les espaces superflus", en: "Trim and collapse spaces" },
  },
  {
    kind: "case",
    label: { fr: "Majuscules / minuscules / Nom Propre", en: "Upper / lower / title case" },
  },
  {
    kind: "split_name",
    label: {
      fr: "Découper un nom complet (civilité, prénom, nom)",
      en: "Split a full name (civility, first, last)",
    },
  },
  {
    kind: "strip_legal_form",
    label: {
      fr: "Retirer la forme juridique (SARL, SAS, EARL…)",
      en: "Strip the legal form (SARL, SAS, EARL…)",
    },
  },
  { kind: "email", label: { fr: "Normaliser l'e-mail", en: "Normalise the e-mail" } },
  {
    kind: "phone",
    label: { fr: "Téléphone au format international (E.164)", en: "Phone to E.164" },
  },
  {
    kind: "postal_code",
    label: {
      fr: "Code postal (zéro initial rétabli, CEDEX retiré)",
      en: "Postal code (leading zero, CEDEX)",
    },
  },
  { kind: "country", label: { fr: "Pays en code ISO", en: "Country to ISO code" } },
  { kind: "number", label: { fr: "Nombre (virgule décimale…)", en: "Number (decimal comma…)" } },
  { kind: "date", label: { fr: "Date selon un format", en: "Date in a format" } },
  { kind: "boolean", label: { fr: "Oui / non", en: "Yes / no" } },
  { kind: "lookup", label: { fr: "Table de correspondance", en: "Lookup table" } },
  {
    kind: "vintage_from_label",
    label: { fr: "Millésime tiré du libellé", en: "Vintage from the label" },
  },
  {
    kind: "size_from_label",
    label: { fr: "Contenance tirée du libellé", en: "Bottle size from the label" },
  },
  { kind: "color", label: { fr: "Couleur du vin", en: "Wine colour" } },
  {
    kind: "appellation",
    label: { fr: "Appellation (vocabulaire des AOC/IGP)", en: "Appellation (AOC/IGP vocabulary)" },
  },
  { kind: "constant", label: { fr: "Valeur constante", en: "Constant value" } },
  { kind: "concat", label: { fr: "Concaténer des colonnes", en: "Concatenate columns" } },
  { kind: "vat", label: { fr: "Prix HT / TTC selon un taux de TVA", en: "Price excl./incl. VAT" } },
];
