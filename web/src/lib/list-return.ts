/**
 * Where "back to the list" goes from a recommendation: the list as it was left, with its filters
 * and page (`/recommendations?tier=champions&product=riesling`), or a wine's, rather than the
 * whole unfiltered list. Kept for the browser tab, like the filters in its address.
 */
const KEY = "crm-reco.list-return";

export function rememberListReturn(): void {
  try {
    sessionStorage.setItem(KEY, `${location.pathname}${location.search}`);
  } catch {
    // Storage refused (a private window's quota): back goes to the whole list.
  }
}

export function listReturn(): string {
  try {
    const back = sessionStorage.getItem(KEY);
    // Only a path of this app: never an address someone could have planted there.
    if (back && back.startsWith("/") && !back.startsWith("//")) return back;
  } catch {
    // as above
  }
  return "/recommendations";
}
