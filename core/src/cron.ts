// Cron schedules of syncs: their next run, the latest slot due, the sources due now. An entry
// point of its own (`@crm-reco/core/cron`), not re-exported by the package's index: the cron
// parser and luxon load only where schedules are read (the scheduler; a few routes, on demand).
export { dueSyncs, latestSlot } from "./schedule/due-syncs.ts";
export { nextRun } from "./schedule/next-run.ts";
