import { type Interactions, rowOf } from "./interactions.ts";
import { fitItemKnn } from "./item-knn.ts";
import {
  type Model,
  RankingBuffer,
  rankingModel,
  rankScores,
  strongestContributions,
} from "./recommender.ts";

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
  // Single precision: half the memory to stream for every customer's scores, and far more
  // precision than a ranking needs.
  const weightsB = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) weightsB[i * n + j] = i === j ? 0 : -p[i * n + j]! / p[j * n + j]!;
  }
  const scores = new Float64Array(n); // reused: one customer at a time
  const buffer = new RankingBuffer();
  return rankingModel("ease", (u, k, exclude) => {
    const { items, weights } = rowOf(data, u);
    scores.fill(0);
    // Four purchases' rows per sweep: the scores are read and written a quarter as often.
    const b = weightsB;
    let a = 0;
    for (; a + 4 <= items.length; a += 4) {
      const r0 = items[a]! * n;
      const r1 = items[a + 1]! * n;
      const r2 = items[a + 2]! * n;
      const r3 = items[a + 3]! * n;
      const w0 = weights[a]!;
      const w1 = weights[a + 1]!;
      const w2 = weights[a + 2]!;
      const w3 = weights[a + 3]!;
      for (let j = 0; j < n; j++)
        scores[j]! += w0 * b[r0 + j]! + w1 * b[r1 + j]! + w2 * b[r2 + j]! + w3 * b[r3 + j]!;
    }
    for (; a < items.length; a++) {
      const row = items[a]! * n;
      const w = weights[a]!; // read once: V8 cannot prove the arrays apart
      for (let j = 0; j < n; j++) scores[j]! += w * b[row + j]!;
    }
    const reasons = (item: number) =>
      strongestContributions(items, weights, (i) => weightsB[i * n + item]!);
    return rankScores(scores, k, exclude, reasons, buffer);
  });
}

/**
 * The inverse of a symmetric positive-definite matrix, through its Cholesky factor G = L·Lᵀ:
 * T = (L⁻¹)ᵀ, then G⁻¹ = T·Tᵀ. Each of the three steps is about n³/6 multiply-adds, all as dot
 * products of contiguous rows of row-major typed arrays (cache-friendly, no row written back
 * again and again).
 */
export function invertSymmetricPositive(g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    const d = g[rowJ + j]! - dot(l, rowJ, l, rowJ, j);
    if (!(d > 0)) throw new Error("matrix is not positive definite");
    const djj = Math.sqrt(d);
    l[rowJ + j] = djj;
    for (let i = j + 1; i < n; i++)
      l[i * n + j] = (g[i * n + j]! - dot(l, i * n, l, rowJ, j)) / djj;
  }
  // T = (L⁻¹)ᵀ, upper triangular, row by row: T[c,i] = −(Σ_{c ≤ k < i} L[i,k]·T[c,k]) / L[i,i].
  const t = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const rowC = c * n;
    t[rowC + c] = 1 / l[rowC + c]!;
    for (let i = c + 1; i < n; i++)
      t[rowC + i] = -dot(l, i * n + c, t, rowC + c, i - c) / l[i * n + i]!;
  }
  // G⁻¹[a,b] = Σ_{k ≥ b} T[a,k]·T[b,k] for a ≤ b (T is zero left of its diagonal).
  const inverse = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const value = dot(t, a * n + b, t, b * n + b, n - b);
      inverse[a * n + b] = value;
      inverse[b * n + a] = value;
    }
  }
  return inverse;
}

/** Σ x[a+k]·y[b+k] for k < length, in four running sums: they add in parallel, not in a chain. */
function dot(x: Float64Array, a: number, y: Float64Array, b: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 4 <= length; k += 4) {
    s0 += x[a + k]! * y[b + k]!;
    s1 += x[a + k + 1]! * y[b + k + 1]!;
    s2 += x[a + k + 2]! * y[b + k + 2]!;
    s3 += x[a + k + 3]! * y[b + k + 3]!;
  }
  for (; k < length; k++) s0 += x[a + k]! * y[b + k]!;
  return s0 + s1 + (s2 + s3);
}
