import { t } from "../lib/i18n.ts";
import type { navigation } from "../ui/layout.tsx";

type PageKey = Exclude<(typeof navigation)[number]["key"], "dashboard">;

/** What a page will do, shown until the release that brings it: the navigation is complete from day one. */
export function Upcoming(props: { page: PageKey }) {
  return (
    <>
      <h1>{t(`nav.${props.page}`)}</h1>
      <p>{t("upcoming.body", { purpose: t(`upcoming.purpose.${props.page}`) })}</p>
    </>
  );
}
