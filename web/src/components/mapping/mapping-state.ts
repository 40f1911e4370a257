import type { ColumnRef, MappingFields, Transformation } from "../../lib/api.ts";

/** What feeds one field while it is edited: always an object, whatever the saved shape. */
export interface FieldRef {
  column: string;
  transforms: Transformation[];
  dateFormat?: string;
  decimal?: string;
}
export type FieldRefs = Record<string, FieldRef>;

export const toRefs = (fields: MappingFields): FieldRefs =>
  Object.fromEntries(
    Object.entries(fields).map(([key, ref]: [string, ColumnRef]) => [
      key,
      typeof ref === "string"
        ? { column: ref, transforms: [] }
        : {
            column: ref.column,
            transforms: ref.transforms ?? [],
            dateFormat: ref.dateFormat,
            decimal: ref.decimal,
          },
    ]),
  );

/** The saved shape: a bare column name unless the field has reading options or steps. */
export const toFields = (refs: FieldRefs): MappingFields =>
  Object.fromEntries(
    Object.entries(refs).map(([key, ref]) => [
      key,
      ref.transforms.length === 0 && !ref.dateFormat && !ref.decimal
        ? ref.column
        : {
            column: ref.column,
            ...(ref.dateFormat ? { dateFormat: ref.dateFormat } : {}),
            ...(ref.decimal ? { decimal: ref.decimal } : {}),
            ...(ref.transforms.length > 0 ? { transforms: ref.transforms } : {}),
          },
    ]),
  );

/** The fields a column feeds, in the catalogue's order (the first is the one its dropdown shows). */
export const fieldsOfColumn = (refs: FieldRefs, column: string, order: string[]): string[] =>
  Object.keys(refs)
    .filter((key) => refs[key]!.column === column)
    .sort((a, b) => order.indexOf(a) - order.indexOf(b));

/**
 * The column now feeds `next` instead of `previous`. A field reads one column, so choosing a
 * field mapped elsewhere moves it here; its steps start afresh (they were written for another
 * field or column).
 */
export function reassign(
  refs: FieldRefs,
  column: string,
  previous: string | null,
  next: string | null,
): FieldRefs {
  const updated = Object.fromEntries(Object.entries(refs).filter(([key]) => key !== previous));
  if (next) updated[next] = { column, transforms: [] };
  return updated;
}

/** A new step with the parameters its kind needs, filled with the usual choice. */
export function newStep(kind: string, column: string): Transformation {
  switch (kind) {
    case "case":
      return { kind, to: "upper" };
    case "split_name":
      return { kind, part: "last_name" };
    case "phone":
      return { kind, defaultCountry: "FR" };
    case "date":
      return { kind, format: "dmy" };
    case "lookup":
      return { kind, table: {}, otherwise: "keep" };
    case "constant":
      return { kind, value: "" };
    case "concat":
      return { kind, columns: [column], separator: " " };
    case "vat":
      return { kind, direction: "exclude", rate: 0.2 };
    default:
      return { kind };
  }
}

/** Moves the step at `index` by `offset` (−1 up, +1 down); out of range leaves the chain as is. */
export function moveStep<T>(steps: T[], index: number, offset: number): T[] {
  const target = index + offset;
  if (target < 0 || target >= steps.length) return steps;
  const moved = [...steps];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}
