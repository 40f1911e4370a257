import * as i18n from "@solid-primitives/i18n";
import { createMemo, createRoot, createSignal } from "solid-js";
import { en } from "./locales/en.ts";
import { fr } from "./locales/fr.ts";

export type Locale = "fr" | "en";
const dictionaries = { fr, en } as const;
const STORAGE_KEY = "crm-reco.locale";

const initialLocale = (): Locale => {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return stored === "en" || stored === "fr" ? stored : "fr";
};

// French by default; the choice is remembered in the browser (and per user once sign-in exists).
const state = createRoot(() => {
  const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
  const dictionary = createMemo(() => i18n.flatten(dictionaries[locale()]));
  const t = i18n.translator(dictionary, i18n.resolveTemplate);
  return { locale, setLocaleSignal, t };
});

export const locale = state.locale;
export const t = state.t;

/**
 * An API failure in the reader's language: the text for its code when there is one, else the
 * API's own message (English), else `fallback`.
 */
export function errorText(
  error: { code?: string | null; message?: string | null } | null | undefined,
  fallback = "",
): string {
  // The API names missing fields with their French labels in brackets: "sku (Code article)".
  const labels = [...(error?.message ?? "").matchAll(/ \(([^)]+)\)/g)].map((m) => m[1]);
  if (error?.code === "mapping.missing_required" && labels.length > 0)
    return t("errors.mapping.missing_named", { fields: labels.join(", ") });
  const known = error?.code
    ? (t(`errors.${error.code}` as "errors.import.empty") as unknown)
    : null;
  return typeof known === "string" ? known : error?.message || fallback;
}

/** A recommender's name in words ("Meilleures ventes"), its code name when it has none. */
export function algorithmName(algorithm: string): string {
  const name = t(`algorithms.${algorithm}` as "algorithms.popularity") as unknown;
  return typeof name === "string" ? name : algorithm;
}

/** An RFM tier in words ("Champions", "Endormis"), "—" when the customer has none yet. */
export function tierName(tier: string | null | undefined): string {
  if (!tier) return "—";
  const name = t(`customers.tiers.${tier}` as "customers.tiers.loyal") as unknown;
  return typeof name === "string" ? name : tier;
}

export function setLocale(next: Locale) {
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  state.setLocaleSignal(next);
}

const numberLocale = () => (locale() === "fr" ? "fr-FR" : "en-GB");

// Building an Intl formatter costs far more than using one (it loads the locale's data): a page
// formats hundreds of values, so each formatter is built once per language and options, and kept.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(
  kind: "number" | "date",
  options: object,
  make: (locale: string) => F,
): F {
  const key = `${kind} ${numberLocale()} ${JSON.stringify(options)}`;
  let format = formatters.get(key) as F | undefined;
  if (!format) formatters.set(key, (format = make(numberLocale())));
  return format;
}
const numberFormat = (options: Intl.NumberFormatOptions = {}) =>
  cached("number", options, (l) => new Intl.NumberFormat(l, options));
const dateFormat = (options: Intl.DateTimeFormatOptions) =>
  cached("date", options, (l) => new Intl.DateTimeFormat(l, options));

export const formatNumber = (value: number) => numberFormat().format(value);

export const formatDateTime = (iso: string) =>
  dateFormat({ dateStyle: "short", timeStyle: "short" }).format(new Date(iso));

/** A moment as read on the clocks of a place (a sync runs at 2 a.m. at the estate, wherever the reader is). */
export const formatDateTimeIn = (iso: string, timeZone: string) =>
  dateFormat({ dateStyle: "short", timeStyle: "short", timeZone }).format(new Date(iso));

/** A day ("2026-06-02" or a full timestamp) as the reader writes it, without the time. */
export const formatDate = (iso: string) =>
  dateFormat({ dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso),
  );

/** An amount in euros with its cents (a line of an order). */
export const formatAmount = (value: number) =>
  numberFormat({ style: "currency", currency: "EUR" }).format(value);

/** Euros without cents: the dashboard's amounts are totals, not prices. */
export const formatEuros = (value: number) =>
  numberFormat({ style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(value);

export const formatPercent = (ratio: number) =>
  numberFormat({ style: "percent", maximumFractionDigits: 1 }).format(ratio);

/**
 * A recommendation's confidence (0-1) as a percentage to a tenth, as every screen shows it. Below
 * a tenth of a percent it reads "< 0,1 %": a proposal the models kept is never "0 %" likely.
 */
export const formatConfidence = (confidence: number) =>
  confidence < 0.0005 ? `<\u00a0${formatTenthsPercent(0.001)}` : formatTenthsPercent(confidence);

/**
 * A ratio (0-1) as a percentage to a tenth, as each language writes it: "18,8 %" (the sign joined
 * to its number by a narrow no-break space, as Intl writes French, so that a narrow column never
 * puts "%" on a line alone), "18.8%" in English.
 */
export const formatTenthsPercent = (ratio: number) =>
  numberFormat({ style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 1 })
    .format(Math.round(ratio * 1000) / 1000)
    // Browsers' ICU differ on which no-break space: always the narrow one.
    .replace(/\s%$/u, "\u202f%");

/**
 * A span of days in words, "6 mois" or "35 jours": two or more whole months of 30 days read as
 * months (the models' usual 180-day horizon), anything else as days ("dans les 30 jours suivants",
 * not "les 1 mois").
 */
export const formatPeriod = (days: number) =>
  days % 30 === 0 && days >= 60
    ? numberFormat({ style: "unit", unit: "month", unitDisplay: "long" }).format(days / 30)
    : numberFormat({ style: "unit", unit: "day", unitDisplay: "long" }).format(days);

/** A "YYYY-MM" month as "oct. 2026" (short) or "octobre 2026" (long). */
export const formatMonth = (month: string, style: "short" | "long" = "long") =>
  dateFormat({
    month: style,
    year: style === "short" ? "2-digit" : "numeric",
    timeZone: "UTC",
  }).format(new Date(`${month}-01T00:00:00Z`));

/** A run's duration: "850 ms", "12,4 s", "3 min 05 s". */
export const formatDuration = (ms: number) => {
  if (ms < 1000) return `${formatNumber(Math.round(ms))} ms`;
  if (ms < 60_000) return `${numberFormat({ maximumFractionDigits: 1 }).format(ms / 1000)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
};
