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
export const dayNumber = (iso: string) =>
  Math.floor(Date.parse(iso.slice(0, 10) + "T00:00:00Z") / DAY_MS);

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
  },
): Interactions {
  const asOfDay = dayNumber(options.asOf);
  const pairs = new Map<
    string,
    {
      customer: string;
      item: string;
      quantity: number;
      decayed: number;
      lastDay: number;
      count: number;
    }
  >();
  for (const p of purchases) {
    const day = dayNumber(p.date);
    if (day > asOfDay || !(p.quantity > 0)) continue;
    const key = `${p.customerId}\u0000${p.itemId}`;
    const decay =
      options.weighting.kind === "decay"
        ? Math.pow(0.5, (asOfDay - day) / options.weighting.halfLifeDays)
        : 1;
    const pair = pairs.get(key);
    if (pair) {
      pair.quantity += p.quantity;
      pair.decayed += p.quantity * decay;
      pair.lastDay = Math.max(pair.lastDay, day);
      pair.count++;
    } else
      pairs.set(key, {
        customer: p.customerId,
        item: p.itemId,
        quantity: p.quantity,
        decayed: p.quantity * decay,
        lastDay: day,
        count: 1,
      });
  }
  const customers = [...new Set([...pairs.values()].map((p) => p.customer))].sort();
  const items = [
    ...new Set([...[...pairs.values()].map((p) => p.item), ...(options.catalogue ?? [])]),
  ].sort();
  const customerIndex = new Map(customers.map((c, i) => [c, i]));
  const itemIndex = new Map(items.map((c, i) => [c, i]));
  const sorted = [...pairs.values()].sort(
    (a, b) =>
      customerIndex.get(a.customer)! - customerIndex.get(b.customer)! ||
      itemIndex.get(a.item)! - itemIndex.get(b.item)!,
  );
  const rowStart = new Uint32Array(customers.length + 1);
  const itemOf = new Uint32Array(sorted.length);
  const weight = new Float32Array(sorted.length);
  const lastDay = new Int32Array(sorted.length);
  const count = new Uint16Array(sorted.length);
  sorted.forEach((p, n) => {
    rowStart[customerIndex.get(p.customer)! + 1]!++;
    itemOf[n] = itemIndex.get(p.item)!;
    weight[n] =
      options.weighting.kind === "binary"
        ? 1
        : options.weighting.kind === "log"
          ? Math.log1p(p.quantity)
          : p.decayed;
    lastDay[n] = p.lastDay;
    count[n] = Math.min(p.count, 65_535);
  });
  for (let u = 0; u < customers.length; u++) rowStart[u + 1]! += rowStart[u]!;
  return {
    customers,
    items,
    customerIndex,
    itemIndex,
    rowStart,
    itemOf,
    weight,
    lastDay,
    count,
    asOf: options.asOf,
  };
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
