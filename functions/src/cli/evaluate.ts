import { AppError, dayNumber, isoDay } from "@crm-reco/core";
import { evaluateEstate } from "../recommend/evaluate-estate.ts";
import { loadHistory } from "../recommend/load-history.ts";
import { withEstate } from "./command-services.ts";
import { isDay, parseCommand } from "./options.ts";

/** `crm-reco evaluate --split-date YYYY-MM-DD [--k 10] [--json]`: measured, never claimed. */
export async function runEvaluate(args: string[]): Promise<number> {
  const { values } = parseCommand(args, {
    "split-date": { type: "string" },
    k: { type: "string" },
    horizon: { type: "string" },
    tenant: { type: "string" },
    json: { type: "boolean" },
  });
  const splitDate = values["split-date"];
  if (!splitDate)
    throw new AppError(
      "cli.invalid",
      "--split-date YYYY-MM-DD is required: models learn before it and are judged after it.",
    );
  if (!isDay(splitDate))
    throw new AppError(
      "cli.invalid",
      `--split-date must be a day written YYYY-MM-DD (e.g. 2026-06-01), not "${splitDate}".`,
    );
  const k = values.k === undefined ? 10 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100)
    throw new AppError("cli.invalid", "--k must be a whole number from 1 to 100.");
  const horizonDays = values.horizon === undefined ? undefined : Number(values.horizon);
  if (horizonDays !== undefined && (!Number.isInteger(horizonDays) || horizonDays < 1))
    throw new AppError("cli.invalid", "--horizon must be a whole number of days (e.g. 180).");
  return withEstate(values, async (services, tenant) => {
    const history = await loadHistory(services.db.db, tenant.id);
    if (history.purchases.length === 0)
      throw new AppError(
        "evaluate.no_history",
        "No order lines to learn from: import sales first.",
      );
    // Judged on what was bought after the date: say so instead of printing a table of zeros.
    const first = history.purchases.reduce((min, p) => (p.date < min ? p.date : min), "9999");
    const last = history.latestOrderDate ?? "";
    const judgedUntil =
      horizonDays === undefined ? "9999" : isoDay(dayNumber(splitDate) + horizonDays);
    const day = (p: { date: string }) => p.date.slice(0, 10);
    const learnt = history.purchases.some((p) => day(p) < splitDate);
    const judged = history.purchases.some((p) => day(p) >= splitDate && day(p) < judgedUntil);
    if (!learnt || !judged)
      throw new AppError(
        "evaluate.nothing_to_judge",
        `No sales on both sides of ${splitDate}${horizonDays === undefined ? "" : ` (judged over ${horizonDays} days)`}: the history runs from ${first.slice(0, 10)} to ${last.slice(0, 10)}. Choose a split date between them (models learn before it and are judged after it).`,
      );
    const results = evaluateEstate(history, { splitDate, k, horizonDays });
    if (values.json) process.stdout.write(`${JSON.stringify({ splitDate, k, results })}\n`);
    else {
      const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
      const lines = results.map(
        (r) =>
          `${r.algorithm.padEnd(14)} ${r.protocol.padEnd(4)} ${String(r.customers).padStart(6)}  ${pct(r.precision)} ${pct(r.recall)} ${pct(r.ndcg)} ${pct(r.map)} ${pct(r.hitRate)} ${pct(r.coverage)}`,
      );
      process.stdout.write(
        `Evaluation at k=${k}, split ${splitDate} (protocol "new": only wines new to the customer)\n${"algorithm".padEnd(14)} prot  custs  precision  recall    NDCG     MAP   hit rate coverage\n${lines.join("\n")}\n`,
      );
    }
    return 0;
  });
}
