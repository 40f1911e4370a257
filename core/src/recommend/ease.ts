import { type Interactions, rowOf } from "./interactions.ts";
import { fitItemKnn } from "./item-knn.ts";
import { type Model, type Scored, topK } from "./recommender.ts";

/** Above this many items the dense inverse (items² memory, items³ time) is not worth it: item-kNN instead. */
export const EASE_MAX_ITEMS = 3000;

/**
 * EASE (Steck 2019): the item-item weights B that best rebuild each customer's basket from their
 * other purchases, in closed form: G = XᵀX + λI, P = G⁻¹, B = I − P·diag(1/diag(P)), so diag(B) = 0;
 * a customer's scores are x·B. λ regularises (hundreds on binary data). Falls back to item-kNN
 * above `EASE_MAX_ITEMS` items.
 */
export function fitEase(data: Interactions, options: { lambda?: number } = {}): Model {
  const n = data.items.length;
  if (n > EASE_MAX_ITEMS) return { ...fitItemKnn(data), name: "ease→itemknn" };
  const lambda = options.lambda ?? 200;
  const g = new Float64Array(n * n);
  for (let u = 0; u < data.customers.length; u++) {
    const { items, weights } = rowOf(data, u);
    for (let a = 0; a < items.length; a++) {
      for (let c = 0; c < items.length; c++)
        g[items[a]! * n + items[c]!]! += weights[a]! * weights[c]!;
    }
  }
  for (let i = 0; i < n; i++) g[i * n + i]! += lambda;
  const p = invertSymmetricPositive(g, n);
  const weightsB = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) weightsB[i * n + j] = i === j ? 0 : -p[i * n + j]! / p[j * n + j]!;
  }
  return {
    name: "ease",
    recommend(u, k, exclude) {
      const { items, weights } = rowOf(data, u);
      const scores = new Float64Array(n);
      for (let a = 0; a < items.length; a++) {
        const row = items[a]! * n;
        for (let j = 0; j < n; j++) scores[j]! += weights[a]! * weightsB[row + j]!;
      }
      return topK(scores, k, exclude).map(({ item, score }): Scored => ({
        item,
        score,
        because: [...items]
          .map((i, a) => ({ item: i, weight: weights[a]! * weightsB[i * n + item]! }))
          .filter((c) => c.weight > 0)
          .sort((x, y) => y.weight - x.weight || x.item - y.item)
          .slice(0, 3),
      }));
    },
  };
}

/** The inverse of a symmetric positive-definite matrix, through its Cholesky factor G = L·Lᵀ. */
export function invertSymmetricPositive(g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = g[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    if (!(d > 0)) throw new Error("matrix is not positive definite");
    const djj = Math.sqrt(d);
    l[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let s = g[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / djj;
    }
  }
  // Solve L·Y = I (forward), then Lᵀ·X = Y (backward), one column at a time.
  const inverse = new Float64Array(n * n);
  const y = new Float64Array(n);
  for (let col = 0; col < n; col++) {
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
      y[i] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * inverse[k * n + col]!;
      inverse[i * n + col] = s / l[i * n + i]!;
    }
  }
  return inverse;
}
