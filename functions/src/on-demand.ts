/**
 * The heavy parts a few API routes need, loaded on their first use. On Lambda every module in
 * the api's static graph is parsed at each cold start: the import pipeline (with the phone
 * numbers' metadata and papaparse), the cron parser (with luxon) and the CSV writer are not
 * needed to sign in, list or review recommendations. The bundler gives each its own chunks.
 * (The workers and the CLI import them directly.)
 */
export const loadPipeline = () => import("@crm-reco/core/pipeline");
export const loadCron = () => import("@crm-reco/core/cron");
export const loadCsvWriter = async () => (await import("papaparse")).default;
