import { type Interactions, rowOf } from "./interactions.ts";
import { fitItemKnn } from "./item-knn.ts";
import { explainedTopK, type Model, strongestContributions } from "./recommender.ts";

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
  return {
    name: "ease",
    recommend(u, k, exclude) {
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
      return explainedTopK(scores, k, exclude, (item) =>
        strongestContributions(items, weights, (i) => weightsB[i * n + item]!),
      );
    },
  };
}

/**
 * The inverse of a symmetric positive-definite matrix, through its Cholesky factor G = L·Lᵀ:
 * M = L⁻¹ row by row (each row a combination of the previous ones), then G⁻¹ = Mᵀ·M. About
 * ⅔·n³ multiply-adds, all on contiguous rows of row-major typed arrays (cache-friendly).
 */
export function invertSymmetricPositive(g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = g[rowJ + j]!;
    for (let k = 0; k < j; k++) d -= l[rowJ + k]! * l[rowJ + k]!;
    if (!(d > 0)) throw new Error("matrix is not positive definite");
    const djj = Math.sqrt(d);
    l[rowJ + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = g[rowI + j]!;
      for (let k = 0; k < j; k++) s -= l[rowI + k]! * l[rowJ + k]!;
      l[rowI + j] = s / djj;
    }
  }
  // M = L⁻¹ (lower triangular): M[i,:] = (eᵢ − Σ_{k<i} L[i,k]·M[k,:]) / L[i,i].
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    m[rowI + i] = 1;
    for (let k = 0; k < i; k++) {
      const factor = l[rowI + k]!;
      if (factor === 0) continue;
      const rowK = k * n;
      for (let c = 0; c <= k; c++) m[rowI + c]! -= factor * m[rowK + c]!;
    }
    const inv = 1 / l[rowI + i]!;
    for (let c = 0; c <= i; c++) m[rowI + c]! *= inv;
  }
  // G⁻¹[a,b] = Σ_{k ≥ max(a,b)} M[k,a]·M[k,b]: accumulate row k's outer product, upper half only.
  const inverse = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let a = 0; a <= k; a++) {
      const mka = m[rowK + a]!;
      if (mka === 0) continue;
      const rowA = a * n;
      for (let b = a; b <= k; b++) inverse[rowA + b]! += mka * m[rowK + b]!;
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) inverse[a * n + b] = inverse[b * n + a]!;
  return inverse;
}
