import type {
  CanonicalField,
  FileSample,
  MappingPreview,
  MappingSuggestion,
  TransformationKind,
} from "../../lib/api.ts";

const field = (
  key: string,
  type: string,
  fr: string,
  accepts: string[],
  required = false,
): CanonicalField => ({ key, type, required, label: { fr, en: fr }, accepts });
const ANY = ["empty", "email", "phone", "date", "postal_code", "number", "text"];

/** A slice of the customers' catalogue, with what each field takes as `/api/mappings/fields` says. */
export const customerFields: CanonicalField[] = [
  field("external_id", "text", "Code client", ANY, true),
  field("last_name", "text", "Nom", ANY),
  field("email", "email", "E-mail", ["email", "empty", "text"]),
  field("phone", "phone", "Téléphone", ["phone", "number", "empty", "text"]),
  field("postal_code", "postal_code", "Code postal", ["postal_code", "number", "empty", "text"]),
  field("created_on", "date", "Date de création", ["date", "empty", "number"]),
];

export const catalogue: TransformationKind[] = [
  { kind: "trim", label: { fr: "Supprimer les espaces superflus", en: "Trim" } },
  { kind: "case", label: { fr: "Majuscules / minuscules / Nom Propre", en: "Case" } },
  { kind: "email", label: { fr: "Normaliser l'e-mail", en: "Normalise the e-mail" } },
];

export const sample: FileSample = {
  entity: "customers",
  columns: ["N° client", "Nom", "Courriel", "CP"],
  rows: [
    ["C1", "Martin", "anne@exemple.fr", "68000"],
    ["C2", "Durand", "paul@", "6800"],
  ],
};

export const suggestion: MappingSuggestion = {
  mapping: {
    entity: "customers",
    fields: { external_id: "N° client", last_name: "Nom", email: "Courriel", postal_code: "CP" },
  },
  suggestions: [
    { field: "external_id", column: "N° client", confidence: 1, method: "exact" },
    { field: "last_name", column: "Nom", confidence: 1, method: "exact" },
    { field: "email", column: "Courriel", confidence: 1, method: "exact" },
    { field: "postal_code", column: "CP", confidence: 0.82, method: "fuzzy" },
  ],
  columnTypes: { "N° client": "text", Nom: "text", Courriel: "email", CP: "postal_code" },
  unmappedColumns: [],
  missingRequired: [],
};

/** A preview whose score tells which request it answers. */
export const previewScored = (score: number): MappingPreview => ({
  rows: [
    {
      line: 2,
      raw: { "N° client": "C1", Nom: "Martin", Courriel: "anne@exemple.fr", CP: "68000" },
      normalized: { external_id: "C1", last_name: "Martin", email: "anne@exemple.fr" },
      rejected: [],
      issues: [],
    },
    {
      line: 3,
      raw: { "N° client": "C2", Nom: "Durand", Courriel: "paul@", CP: "6800" },
      normalized: { external_id: "C2", last_name: "Durand", email: "paul@" },
      rejected: [],
      issues: [
        {
          code: "email.invalid",
          severity: "high",
          field: "email",
          value: "paul@",
          message: { fr: "E-mail invalide : paul@", en: "Invalid e-mail: paul@" },
        },
      ],
    },
  ],
  quality: {
    score,
    rows: 2,
    rejectedShare: 0,
    completeness: 0.75,
    validity: 0.9,
    consistency: 1,
    uniqueness: 1,
    mappingConfidence: 0.95,
  },
  anomalies: { critical: 0, high: 1, medium: 0, low: 0 },
});

export const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
