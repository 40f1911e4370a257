import { invertSymmetricPositive } from "../../core/src/recommend/ease.ts";
const n = 1000;
let seed = 1; const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const x = new Float64Array(n * 30); for (let i = 0; i < x.length; i++) x[i] = r() < 0.1 ? 1 : 0;
const g = new Float64Array(n * n);
for (let c = 0; c < 30; c++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i*n+j] += r() < 0.02 ? 1 : 0;
for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[i*n+j] = g[j*n+i];
for (let i = 0; i < n; i++) g[i*n+i] += 200;
for (let t = 0; t < 3; t++) { const s = performance.now(); const p = invertSymmetricPositive(g, n); console.log((performance.now()-s).toFixed(0), "ms", p[0], p[n*n-1], p[5*n+7]); }
