/**
 * Numbers as French and English exports write them.
 *
 * Rules:
 * - decimal comma or point; thousands separated by space, no-break space (U+00A0), narrow
 *   no-break space (U+202F), apostrophe, `.` or `,`;
 * - when both `,` and `.` appear, the last one is the decimal separator; when one of them appears
 *   several times it separates thousands; a single one is the decimal separator unless the
 *   column's `decimal` hint says otherwise (see `inferDecimalSeparator`);
 * - currency symbols or codes before or after (€, EUR, $, USD, £, GBP, CHF);
 * - negatives with a leading `-` or `−`, a trailing `-`, or in parentheses;
 * - an empty cell is `null` (missing), not an error.
 */
export type DecimalSeparator = "," | ".";

export type ParsedNumber = { ok: true; value: number | null } | { ok: false; reason: string };

const CURRENCY =
  /^(?:€|eur|euros?|\$|usd|£|gbp|chf)\s*|\s*(?:€|eur|euros?|\$|usd|£|gbp|chf|ht|ttc)$/i;
const GROUPING_SPACES = /[\s\u00a0\u202f']/g;

export function parseNumber(text: string, decimal?: DecimalSeparator): ParsedNumber {
  let s = text.trim();
  if (s === "") return { ok: true, value: null };
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  for (let previous = ""; previous !== s;) {
    previous = s;
    s = s.replace(CURRENCY, "").trim();
  }
  if (/^[-−]/.test(s)) {
    negative = !negative;
    s = s.slice(1).trim();
  } else if (/-$/.test(s)) {
    negative = !negative;
    s = s.slice(0, -1).trim();
  }
  s = s.replace(GROUPING_SPACES, "");
  const normalized = normalizeSeparators(s, decimal);
  if (normalized === undefined || !/^\d+(?:\.\d+)?$/.test(normalized))
    return { ok: false, reason: `"${text}" is not a number` };
  const value = Number(normalized);
  return { ok: true, value: negative && value !== 0 ? -value : value };
}

function normalizeSeparators(s: string, decimal: DecimalSeparator | undefined): string | undefined {
  const commas = count(s, ",");
  const points = count(s, ".");
  if (commas > 0 && points > 0) {
    const decimalChar = s.lastIndexOf(",") > s.lastIndexOf(".") ? "," : ".";
    const groupChar = decimalChar === "," ? "." : ",";
    if (
      count(s, decimalChar) > 1 ||
      !validGrouping(s.slice(0, s.lastIndexOf(decimalChar)), groupChar)
    )
      return undefined;
    return s.replaceAll(groupChar, "").replace(decimalChar, ".");
  }
  const sep = commas > 0 ? "," : points > 0 ? "." : undefined;
  if (!sep) return s;
  const occurrences = sep === "," ? commas : points;
  // `0.750` is three quarters whatever the column says: no number groups its thousands after 0.
  const isGrouping =
    occurrences > 1 ||
    (decimal !== undefined && decimal !== sep && /^[1-9]\d{0,2}[.,]\d{3}$/.test(s));
  if (isGrouping) return validGrouping(s, sep) ? s.replaceAll(sep, "") : undefined;
  return s.replace(sep, ".");
}

/** `1.234.567` groups by three after the first group; `12.34.5` does not. */
const validGrouping = (integerPart: string, sep: string) => {
  if (!integerPart.includes(sep)) return true;
  const [first, ...rest] = integerPart.split(sep);
  return /^\d{1,3}$/.test(first!) && rest.every((group) => /^\d{3}$/.test(group));
};

const count = (s: string, char: string) => s.split(char).length - 1;

/**
 * The decimal separator a column uses, from all its values: a value like `12,50` or `1.234,5`
 * proves a decimal comma; `12.50` or `1,234.5` a decimal point. `undefined` when nothing tells.
 */
export function inferDecimalSeparator(values: Iterable<string>): DecimalSeparator | undefined {
  const counter = createDecimalCounter();
  for (const value of values) counter.add(value);
  return counter.result();
}

/** `inferDecimalSeparator` one value at a time, in constant memory, for a streamed file. */
export function createDecimalCounter() {
  let comma = 0;
  let point = 0;
  return {
    add(raw: string) {
      const v = raw.replace(GROUPING_SPACES, "");
      if (/\d,\d{1,2}(?!\d)/.test(v) || /\.\d{3},\d/.test(v)) comma++;
      else if (/\d\.\d{1,2}(?!\d)/.test(v) || /,\d{3}\.\d/.test(v)) point++;
    },
    result(): DecimalSeparator | undefined {
      return majority(comma, point);
    },
    /** How many values proved each separator, to pool the columns of one file. */
    tally: () => ({ comma, point }),
  };
}

/**
 * The separator the columns of one file prove together: a column of whole amounts (`1.250`,
 * `2.500`) tells nothing by itself, but the prices beside it (`12,50`) say how the file writes.
 */
export function pooledDecimalSeparator(
  tallies: Array<{ comma: number; point: number }>,
): DecimalSeparator | undefined {
  let comma = 0;
  let point = 0;
  for (const t of tallies) {
    comma += t.comma;
    point += t.point;
  }
  return majority(comma, point);
}

const majority = (comma: number, point: number): DecimalSeparator | undefined =>
  comma === point ? undefined : comma > point ? "," : ".";
