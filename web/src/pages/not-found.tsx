import { A } from "@solidjs/router";
import { t } from "../lib/i18n.ts";

export default function NotFound() {
  return (
    <>
      <h1>{t("notFound.title")}</h1>
      <A href="/">{t("notFound.back")}</A>
    </>
  );
}
