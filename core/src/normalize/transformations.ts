import type { Transformation } from "./transformation-schema.ts";
import { type DateFormat, parseDate } from "../parse/date.ts";
import { parseNumber } from "../parse/number.ts";
import { parseBooleanWord, parseWineColor } from "../parse/words.ts";
import { toAppellation } from "./appellation.ts";
import { stripLegalForm } from "./company.ts";
import { toCountryCode } from "./country.ts";
import { normalizeEmail, severalEmails } from "./email.ts";
import { splitFullName } from "./person-name.ts";
import { normalizePhone } from "./phone.ts";
import { normalizePostalCode } from "./postal-code.ts";
import { changeCase, collapseSpaces } from "./text.ts";
import { excludeVat, includeVat } from "./vat.ts";
import { sizeFromLabel, vintageFromLabel } from "./wine-label.ts";

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
      // Several addresses pass through whole: the import keeps the first and reports the rest.
      const several = email.valid ? undefined : severalEmails(s);
      if (several) return { value: several.join(", ") };
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
