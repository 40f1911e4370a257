import type { RoutePreloadFuncArgs } from "@solidjs/router";
import { api, type Dashboard } from "../lib/api.ts";

let pending: Promise<Dashboard> | null = null;

/**
 * The router calls this as it navigates to the dashboard: the figures and the chart library are
 * asked for while the page's own chunk loads, not after it (the dashboard's budget is 1 s). A
 * mere hover of a link preloads nothing: the figures would be stale by the click.
 */
export function preloadDashboard(args: RoutePreloadFuncArgs) {
  if (args.intent !== "preload") startLoading();
}

/**
 * Called by the entry script before the app renders, when the visit starts on the dashboard: the
 * page's chunk, the chart library and the figures are asked for beside the session
 * (`/api/auth/me`) instead of after the first render. The router's preload finds them on their way.
 */
export function preloadDashboardNow() {
  void import("./dashboard.tsx"); // the page's own chunk: the router would ask for it after rendering
  startLoading();
}

function startLoading() {
  void import("../components/orders-plot.ts");
  if (pending) return;
  pending = api.dashboard();
  // Signed out, it fails (401): the page, once signed in, asks again.
  pending.catch(() => {});
}

/** The figures preloaded for this visit if any (once), else a new request. */
export function takeDashboard(): Promise<Dashboard> {
  const preloaded = pending;
  pending = null;
  return preloaded ? preloaded.catch(() => api.dashboard()) : api.dashboard();
}
