import { withoutAccents } from "../normalize/text.ts";
/**
 * Dates as French exports (and the occasional US or ISO one) write them.
 *
 * Formats: `dmy` (dd/mm/yyyy, dd/mm/yy, dd-mm-yyyy, dd.mm.yyyy, optionally followed by hh:mm or
 * hh:mm:ss; also `08-Jul-08` or `8 juil. 2024` month names), `mdy` (the US order), `ymd` (ISO
 * dates and date-times, with or without a zone), and `excel` (serial day numbers, 1900 system).
 * Two-digit years: 00-69 → 2000s, 70-99 → 1900s. The result is an ISO string: `YYYY-MM-DD`, or
 * `YYYY-MM-DDTHH:MM:SS` when a time is given (wall-clock time; a zone, if any, is dropped).
 */
export type DateFormat = "dmy" | "mdy" | "ymd" | "excel";

export type ParsedDate = { ok: true; value: string | null } | { ok: false; reason: string };

const MONTHS: Record<string, number> = {
  jan: 1,
  janv: 1,
  janvier: 1,
  january: 1,
  feb: 2,
  fev: 2,
  fevr: 2,
  fevrier: 2,
  february: 2,
  mar: 3,
  mars: 3,
  march: 3,
  apr: 4,
  avr: 4,
  avril: 4,
  april: 4,
  may: 5,
  mai: 5,
  jun: 6,
  juin: 6,
  june: 6,
  jul: 7,
  juil: 7,
  juillet: 7,
  july: 7,
  aug: 8,
  aou: 8,
  aout: 8,
  august: 8,
  sep: 9,
  sept: 9,
  septembre: 9,
  september: 9,
  oct: 10,
  octobre: 10,
  october: 10,
  nov: 11,
  novembre: 11,
  november: 11,
  dec: 12,
  decembre: 12,
  december: 12,
};

const NUMERIC =
  /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?$/i;
const NAMED = /^(\d{1,2})(?:er)?[\s-]+([a-zéû]+)\.?[\s-]+(\d{2,4})$/i;

export function parseDate(text: string, format: DateFormat): ParsedDate {
  const s = text.trim();
  if (s === "") return { ok: true, value: null };
  const fail = {
    ok: false as const,
    reason: `"${text}" is not a date (${describeFormat(format)})`,
  };
  if (format === "excel") return fromExcelSerial(s) ?? fail;

  const named = NAMED.exec(s);
  if (named && format !== "ymd") {
    const month = MONTHS[withoutAccents(named[2]!.toLowerCase())];
    return (month && build(Number(named[1]), month, fullYear(named[3]!), undefined)) || fail;
  }

  const m = NUMERIC.exec(s);
  if (!m) return fail;
  const [, a, b, c, hh, mm, ss] = m;
  const time = hh === undefined ? undefined : { h: Number(hh), m: Number(mm), s: Number(ss ?? 0) };
  if (format === "ymd")
    return a!.length === 4 ? (build(Number(c), Number(b), Number(a), time) ?? fail) : fail;
  if (c!.length !== 2 && c!.length !== 4) return fail;
  const [day, month] = format === "dmy" ? [Number(a), Number(b)] : [Number(b), Number(a)];
  return build(day, month, fullYear(c!), time) ?? fail;
}

/**
 * A value of a date column read with the column's format, else in a way it cannot be mistaken
 * for another: spreadsheets mix cells typed by hand into columns of real dates. An ISO date
 * (`2024-01-17`) reads the same in any column; five digits of a date from 1990 to 2100 are an
 * Excel date number left unformatted (`45400`); text in a column of ISO or Excel dates reads when
 * only one order makes a date of it (`25/04/2024`, or `04/04/2024`), while `12/04/2024` there
 * could be either and stays an error. A day/month value in a month/day column, or the other way
 * round, stays an error too: one of the two is a mistake.
 */
export function parseDateInColumn(text: string, format: DateFormat): ParsedDate {
  const parsed = parseDate(text, format);
  if (parsed.ok) return parsed;
  const s = text.trim();
  if (format !== "ymd" && /^\d{4}-\d{1,2}-\d{1,2}(?:[ T].*)?$/.test(s)) {
    const iso = parseDate(s, "ymd");
    if (iso.ok) return iso;
  }
  if (format !== "excel" && /^\d{5}$/.test(s) && Number(s) >= 32_874 && Number(s) <= 73_050)
    return fromExcelSerial(s) ?? parsed;
  if (format === "ymd" || format === "excel") {
    const dayFirst = parseDate(s, "dmy");
    const monthFirst = parseDate(s, "mdy");
    const read = dayFirst.ok ? dayFirst : monthFirst;
    if (read.ok && (!dayFirst.ok || !monthFirst.ok || dayFirst.value === monthFirst.value))
      return read;
  }
  return parsed;
}

function build(
  day: number,
  month: number,
  year: number,
  time: { h: number; m: number; s: number } | undefined,
): ParsedDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || year < 1000)
    return undefined;
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (!time) return { ok: true, value: date };
  if (time.h > 23 || time.m > 59 || time.s > 59) return undefined;
  return { ok: true, value: `${date}T${pad(time.h)}:${pad(time.m)}:${pad(time.s)}` };
}

/** Excel's 1900 date system: serial 1 is 1900-01-01, and it counts the non-existent 1900-02-29. */
function fromExcelSerial(s: string): ParsedDate | undefined {
  if (!/^\d{1,6}(?:[.,]\d+)?$/.test(s)) return undefined;
  const serial = Number(s.replace(",", "."));
  if (serial < 1 || serial > 2_958_465 || Math.floor(serial) === 60) return undefined;
  const days = Math.floor(serial) - (serial >= 61 ? 2 : 1);
  const date = new Date(Date.UTC(1900, 0, 1) + days * 86_400_000);
  const fraction = serial - Math.floor(serial);
  const iso = date.toISOString().slice(0, 10);
  if (fraction === 0) return { ok: true, value: iso };
  const seconds = Math.round(fraction * 86_400);
  return {
    ok: true,
    value: `${iso}T${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`,
  };
}

const fullYear = (y: string) =>
  y.length === 2 ? (Number(y) < 70 ? 2000 : 1900) + Number(y) : Number(y);
const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const describeFormat = (format: DateFormat) =>
  ({
    dmy: "expected day/month/year",
    mdy: "expected month/day/year",
    ymd: "expected year-month-day",
    excel: "expected an Excel date number",
  })[format];

export interface DateFormatInference {
  format: DateFormat | undefined;
  /** True when more than one order fits every value (e.g. all days ≤ 12); the French order wins. */
  ambiguous: boolean;
  /** Values that fit no format at all (for the anomaly report). */
  invalid: number;
}

/**
 * The format of a column, from all its values: the one that reads the most of them, preferring
 * `dmy` (French files) over `mdy` when both read everything, so `01/03/2024` is 1 March.
 */
export function inferDateFormat(values: Iterable<string>): DateFormatInference {
  const counter = createDateFormatCounter();
  for (const value of values) counter.add(value);
  return counter.result();
}

/** `inferDateFormat` one value at a time, in constant memory, for a streamed file. */
export function createDateFormatCounter() {
  const candidates: DateFormat[] = ["dmy", "ymd", "mdy", "excel"];
  const fits = new Map<DateFormat, number>(candidates.map((f) => [f, 0]));
  let total = 0;
  // Values the two orders read as different days (08/07/2024): with none, as with a month
  // written in words (08-Jul-08), reading either way gives the same dates and nothing is ambiguous.
  let readTwoWays = 0;
  let readBothWays = 0; // values both orders read (alike or not)
  return {
    add(value: string) {
      if (value.trim() === "") return;
      total++;
      let dayFirst: string | null | undefined; // what dmy read, when it could
      for (const format of candidates) {
        const parsed = parseDate(value, format);
        if (!parsed.ok) continue;
        fits.set(format, fits.get(format)! + 1);
        if (format === "dmy") dayFirst = parsed.value;
        else if (format === "mdy" && dayFirst !== undefined) {
          readBothWays++;
          if (parsed.value !== dayFirst) readTwoWays++;
        }
      }
    },
    result(): DateFormatInference {
      if (total === 0) return { format: undefined, ambiguous: false, invalid: 0 };
      const best = Math.max(...fits.values());
      if (best === 0) return { format: undefined, ambiguous: false, invalid: total };
      const winners = candidates.filter((f) => fits.get(f) === best);
      return {
        format: winners[0],
        // Both orders read as many values: ambiguous unless they read the same values as the
        // same days (months in words); a mix (13/01 and 01/13) is ambiguous too.
        ambiguous:
          winners.includes("dmy") &&
          winners.includes("mdy") &&
          (readTwoWays > 0 || fits.get("dmy")! > readBothWays),
        invalid: total - best,
      };
    },
  };
}
