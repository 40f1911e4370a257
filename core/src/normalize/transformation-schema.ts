import { z } from "zod";

// What a mapping may say about a field's transformations, apart from how they run
// (transformations.ts): a mapping is read and checked where the code that runs them, and its
// phone-number metadata, is not loaded (the API at a cold start).

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
