/**
 * Purchases as a customer × item matrix, in compressed rows (CSR) of typed arrays: the shape every
 * recommender and the evaluation read. Built as of a reference date: nothing after it is used.
 */
export interface Purchase {
  customerId: string;
  /** The item at the chosen level: a SKU (cuvée + vintage + size) or a cuvée (vintages merged). */
  itemId: string;
  /** ISO date (YYYY-MM-DD…). */
  date: string;
  quantity: number;
}

export type Weighting =
  { kind: "binary" } | { kind: "log" } | { kind: "decay"; halfLifeDays: number };

export interface Interactions {
  customers: string[];
  items: string[];
  customerIndex: Map<string, number>;
  itemIndex: Map<string, number>;
  /** rowStart[u]..rowStart[u+1] index `itemOf`/`weight` for customer u, items sorted ascending. */
  rowStart: Uint32Array;
  itemOf: Uint32Array;
  weight: Float32Array;
  /** Last purchase day (days since epoch) per stored pair, for rebuy rules and explanations. */
  lastDay: Int32Array;
  /** Times bought (orders) per stored pair. */
  count: Uint16Array;
  asOf: string;
}

const DAY_MS = 86_400_000;

/**
 * Days since 1970-01-01 of an ISO date (`YYYY-MM-DD…`, the time ignored). A history has millions
 * of dates: the common shape is read digit by digit (Date.UTC rolls `02-30` over to March as
 * Date.parse does); anything else goes through Date.parse (NaN when it is not a date).
 */
export const dayNumber = (iso: string): number => {
  if (iso.length >= 10 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45) {
    const year = digits(iso, 0, 4);
    const month = digits(iso, 5, 2);
    const day = digits(iso, 8, 2);
    // Date.UTC reads years 0-99 as 1900-1999: those take the slow path.
    if (year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31)
      return Date.UTC(year, month - 1, day) / DAY_MS;
  }
  return Math.floor(Date.parse(iso.slice(0, 10) + "T00:00:00Z") / DAY_MS);
};

/** The ISO date (`YYYY-MM-DD`) of a day number: `dayNumber`'s inverse. */
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The default sort's order (UTF-16 code units), as a comparator. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The number written by `length` ASCII digits from `at`, or -1 if one is not a digit. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Weights per (customer, item): binary (bought or not), log(1 + bottles), or bottles decayed with
 * a half-life so last year's purchases count more than five years ago. Customers and items are
 * indexed in sorted order, so the result is deterministic whatever the purchase order.
 */
export function buildInteractions(
  purchases: Iterable<Purchase>,
  options: {
    asOf: string;
    weighting: Weighting;
    /** Items to index even if nobody bought them yet (a new release, a new vintage). */
    catalogue?: Iterable<string>;
    /**
     * What items are numbered by (then by id), and so which of two equally scored items every
     * model puts first: the estate's own codes (SKUs) keep a run's ties the same when the same
     * history is imported again under new database ids. Default: the id.
     */
    itemKey?: (id: string) => string;
    /**
     * What customers are numbered by (then by id): the estate's own codes keep which customers a
     * backtest samples, and so the blend it picks, the same under new database ids.
     */
    customerKey?: (id: string) => string;
  },
): Interactions {
  const asOfDay = dayNumber(options.asOf);
  const { weighting } = options;
  // The purchases kept, as typed columns (no per-purchase allocation: millions of lines);
  // customers and items numbered as first seen.
  const customerSeen = new Map<string, number>();
  const itemSeen = new Map<string, number>();
  let columns = purchaseColumns(Math.max(16, Array.isArray(purchases) ? purchases.length : 1024));
  // The decay depends on the day only: one power per distinct day, not per purchase.
  const halfLife = weighting.kind === "decay" ? weighting.halfLifeDays : Infinity;
  const decayOfDay = new Map<number, number>();
  const decayOn = (day: number) => {
    let decay = decayOfDay.get(day);
    if (decay === undefined)
      decayOfDay.set(day, (decay = Math.pow(0.5, (asOfDay - day) / halfLife)));
    return decay;
  };
  let kept = 0;
  for (const p of purchases) {
    const day = dayNumber(p.date);
    // Not `day > asOfDay`: a date that is not one (NaN) is left out too.
    if (!(day <= asOfDay) || !(p.quantity > 0)) continue;
    let c = customerSeen.get(p.customerId);
    if (c === undefined) customerSeen.set(p.customerId, (c = customerSeen.size));
    let i = itemSeen.get(p.itemId);
    if (i === undefined) itemSeen.set(p.itemId, (i = itemSeen.size));
    if (kept === columns.customerOf.length) columns = grown(columns);
    columns.customerOf[kept] = c;
    columns.itemOfPurchase[kept] = i;
    columns.dayOf[kept] = day;
    columns.quantityOf[kept] = p.quantity;
    columns.decayOf[kept] = weighting.kind === "decay" ? decayOn(day) : 1;
    kept++;
  }
  const { customerOf, itemOfPurchase, dayOf, quantityOf, decayOf } = columns;
  for (const id of options.catalogue ?? []) if (!itemSeen.has(id)) itemSeen.set(id, itemSeen.size);

  const customers = [...customerSeen.keys()];
  const customerKeys = new Map(customers.map((id) => [id, options.customerKey?.(id) ?? id]));
  customers.sort(
    (a, b) => byCodeUnits(customerKeys.get(a)!, customerKeys.get(b)!) || byCodeUnits(a, b),
  );
  const items = [...itemSeen.keys()];
  const keys = new Map(items.map((id) => [id, options.itemKey?.(id) ?? id]));
  items.sort((a, b) => byCodeUnits(keys.get(a)!, keys.get(b)!) || byCodeUnits(a, b));
  const customerIndex = new Map(customers.map((c, i) => [c, i]));
  const itemIndex = new Map(items.map((c, i) => [c, i]));
  const customerRank = Uint32Array.from(customerSeen.keys(), (id) => customerIndex.get(id)!);
  const itemRank = Uint32Array.from(itemSeen.keys(), (id) => itemIndex.get(id)!);

  // Purchases grouped by customer (a counting sort, stable: each customer's in input order).
  const purchaseStart = new Uint32Array(customers.length + 1);
  for (let n = 0; n < kept; n++) purchaseStart[customerRank[customerOf[n]!]! + 1]!++;
  for (let u = 0; u < customers.length; u++) purchaseStart[u + 1]! += purchaseStart[u]!;
  const next = purchaseStart.slice(0, customers.length);
  const byCustomer = new Uint32Array(kept);
  for (let n = 0; n < kept; n++) byCustomer[next[customerRank[customerOf[n]!]!]!++] = n;

  // One pair per (customer, item): its purchases summed in input order, items ascending.
  const itemKey = new Uint32Array(kept);
  for (let n = 0; n < kept; n++) itemKey[n] = itemRank[itemOfPurchase[n]!]!;
  const itemOf = new Uint32Array(kept);
  const weight = new Float32Array(kept);
  const lastDay = new Int32Array(kept);
  const count = new Uint16Array(kept);
  let pairs = 0;
  const rowStart = new Uint32Array(customers.length + 1);
  for (let u = 0; u < customers.length; u++) {
    const row = byCustomer.subarray(purchaseStart[u]!, purchaseStart[u + 1]!);
    sortByItem(row, itemKey);
    for (let r = 0; r < row.length;) {
      const item = itemKey[row[r]!]!;
      let quantity = 0;
      let decayed = 0;
      let last = -Infinity;
      let times = 0;
      for (; r < row.length && itemKey[row[r]!] === item; r++) {
        const n = row[r]!;
        quantity += quantityOf[n]!;
        decayed += quantityOf[n]! * decayOf[n]!;
        last = Math.max(last, dayOf[n]!);
        times++;
      }
      itemOf[pairs] = item;
      weight[pairs] =
        weighting.kind === "binary" ? 1 : weighting.kind === "log" ? Math.log1p(quantity) : decayed;
      lastDay[pairs] = last;
      count[pairs] = Math.min(times, 65_535);
      pairs++;
    }
    rowStart[u + 1] = pairs;
  }
  return {
    customers,
    items,
    customerIndex,
    itemIndex,
    rowStart,
    itemOf: itemOf.slice(0, pairs),
    weight: weight.slice(0, pairs),
    lastDay: lastDay.slice(0, pairs),
    count: count.slice(0, pairs),
    asOf: options.asOf,
  };
}

function purchaseColumns(length: number) {
  return {
    customerOf: new Uint32Array(length),
    itemOfPurchase: new Uint32Array(length),
    dayOf: new Int32Array(length),
    quantityOf: new Float64Array(length),
    decayOf: new Float64Array(length),
  };
}

function grown(columns: ReturnType<typeof purchaseColumns>) {
  const bigger = purchaseColumns(2 * columns.customerOf.length);
  bigger.customerOf.set(columns.customerOf);
  bigger.itemOfPurchase.set(columns.itemOfPurchase);
  bigger.dayOf.set(columns.dayOf);
  bigger.quantityOf.set(columns.quantityOf);
  bigger.decayOf.set(columns.decayOf);
  return bigger;
}

/**
 * Sorts a customer's purchases (indexes, ascending) by item, stably: by insertion for the usual
 * few dozen, by the engine's sort for a trade customer's thousands.
 */
function sortByItem(row: Uint32Array, itemKey: Uint32Array): void {
  if (row.length > 64) {
    row.set(Array.from(row).sort((a, b) => itemKey[a]! - itemKey[b]! || a - b));
    return;
  }
  for (let x = 1; x < row.length; x++) {
    const n = row[x]!;
    const key = itemKey[n]!;
    let y = x;
    for (; y > 0 && itemKey[row[y - 1]!]! > key; y--) row[y] = row[y - 1]!;
    row[y] = n;
  }
}

/** The items (indexes) a customer bought, with their weights. */
export function rowOf(
  data: Interactions,
  customer: number,
): { items: Uint32Array; weights: Float32Array } {
  const start = data.rowStart[customer]!;
  const end = data.rowStart[customer + 1]!;
  return { items: data.itemOf.subarray(start, end), weights: data.weight.subarray(start, end) };
}
