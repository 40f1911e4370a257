export const fr = {
  app: { name: "CRM Reco", tagline: "Recommandations de vins relues et expliquées" },
  nav: {
    main: "Navigation principale",
    dashboard: "Tableau de bord",
    sources: "Sources",
    mappings: "Correspondances",
    anomalies: "Anomalies",
    customers: "Clients",
    recommendations: "Recommandations",
    audit: "Audit",
    settings: "Paramètres",
  },
  language: { label: "Langue", fr: "Français", en: "English" },
  dashboard: {
    title: "Tableau de bord",
    system: "État du système",
    status: { ok: "Opérationnel", degraded: "Dégradé", unreachable: "Serveur injoignable" },
    database: "Base de données",
    databaseOk: "répond en {{ ms }} ms",
    databaseDown: "ne répond pas",
    driver: { pglite: "PGlite intégrée", pg: "PostgreSQL", neon: "Neon (serverless)" },
    version: "Version",
    loading: "Vérification en cours…",
    retry: "Réessayer",
  },
  upcoming: {
    title: "{{ page }}",
    body: "Cette page arrive avec une prochaine version. Elle permettra : {{ purpose }}",
    purpose: {
      sources:
        "d'importer les exports iSaVigne et Odoo, de voir leur aperçu, leur validation et l'historique des synchronisations.",
      mappings:
        "de relier les colonnes des fichiers aux champs du domaine, avec suggestions, transformations et score de qualité.",
      anomalies:
        "de passer en revue les problèmes de données par gravité, et de les résoudre ou les ignorer.",
      customers:
        "de rechercher les clients, voir leur historique d'achats et leurs identités dans chaque source.",
      recommendations:
        "de relire, approuver ou rejeter les recommandations et d'exporter la liste approuvée.",
      audit: "de comparer les algorithmes sur l'historique du domaine avec des mesures réelles.",
      settings:
        "de gérer les utilisateurs, les clés d'API, les webhooks et les règles de campagne.",
    },
  },
  notFound: { title: "Page introuvable", back: "Retour au tableau de bord" },
};

export type Dictionary = typeof fr;
