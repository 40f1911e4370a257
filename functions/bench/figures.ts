// What each benchmark measured, in a form `npm run bench` can put side by side with its target.
// A benchmark run alone (`npm run bench:import`) prints its own tables; run by `npm run bench`,
// it also appends its figures, one JSON line each, to the file named by BENCH_FIGURES.
import { appendFileSync } from "node:fs";

export interface Figure {
  /** The npm script's suffix: `import` for `npm run bench:import`. */
  bench: string;
  measure: string;
  result: string;
  /** What the figure is compared with, when the target is relative (papaparse alone, …). */
  reference?: string;
  target?: string;
  /** null when the figure has no target of its own (a reference, an intermediate size). */
  met: boolean | null;
}

export function recordFigure(figure: Figure) {
  const file = process.env.BENCH_FIGURES;
  if (file) appendFileSync(file, JSON.stringify(figure) + "\n");
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
