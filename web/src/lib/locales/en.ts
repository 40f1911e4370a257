import type { Dictionary } from "./fr.ts";

export const en: Dictionary = {
  app: { name: "CRM Reco", tagline: "Reviewed, explained wine recommendations" },
  nav: {
    main: "Main navigation",
    dashboard: "Dashboard",
    sources: "Sources",
    mappings: "Mappings",
    anomalies: "Anomalies",
    customers: "Customers",
    recommendations: "Recommendations",
    audit: "Audit",
    settings: "Settings",
  },
  language: { label: "Language", fr: "Français", en: "English" },
  dashboard: {
    title: "Dashboard",
    system: "System status",
    status: { ok: "Operational", degraded: "Degraded", unreachable: "Server unreachable" },
    database: "Database",
    databaseOk: "answers in {{ ms }} ms",
    databaseDown: "does not answer",
    driver: { pglite: "embedded PGlite", pg: "PostgreSQL", neon: "Neon (serverless)" },
    version: "Version",
    loading: "Checking…",
    retry: "Retry",
  },
  upcoming: {
    title: "{{ page }}",
    body: "This page comes with a later release. It will let you {{ purpose }}",
    purpose: {
      sources:
        "import iSaVigne and Odoo exports and see their preview, validation and sync history.",
      mappings:
        "map file columns to the estate's fields, with suggestions, transformations and a quality score.",
      anomalies: "review data problems by severity, and resolve or ignore them.",
      customers:
        "search customers and see their purchase history and their identities in each source.",
      recommendations: "review, approve or reject recommendations and export the approved list.",
      audit: "compare the algorithms on the estate's own history with measured figures.",
      settings: "manage users, API keys, webhooks and campaign rules.",
    },
  },
  notFound: { title: "Page not found", back: "Back to the dashboard" },
};
