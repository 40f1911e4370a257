import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import type { AuditFigures } from "./audit-figures.ts";
import { renderAuditPdf } from "./audit-pdf.ts";

const figures = (horizonDays: number): AuditFigures => ({
  estate: "Domaine test",
  lastRun: {
    id: "00000000-0000-4000-8000-000000000001",
    algorithm: "hybrid",
    finishedAt: "2026-12-01T10:00:00Z",
    dataSnapshot: {},
    weights: null,
    evaluation: {
      splitDate: "2025-02-21",
      horizonDays,
      k: 10,
      results: [
        {
          algorithm: "popularity",
          protocol: "all",
          k: 10,
          customers: 12,
          precision: 0.1,
          recall: 0.2,
          ndcg: 0.25,
          map: 0.15,
          hitRate: 0.5,
          coverage: 0.3,
        },
      ],
    },
  },
  byStatus: {},
  approvalRate: null,
  meanRating: null,
  reviewByAlgorithm: [],
  feedback: [],
  sources: [],
  openAnomalies: {},
  topWines: [],
});

const text = async (horizonDays: number, lang: "fr" | "en") => {
  const bytes = await renderAuditPdf(figures(horizonDays), {
    lang,
    generatedAt: new Date("2026-12-04T08:00:00Z"),
  });
  return (await extractText(await getDocumentProxy(bytes), { mergePages: true })).text;
};

describe("the audit PDF's method note", () => {
  it.each([
    [180, "fr", "jugés sur les achats des 6 mois suivants"],
    [180, "en", "judged on the purchases of the 6 months that followed"],
    // A history under a year is judged on its last third: the note says how long that was.
    [25, "fr", "jugés sur les achats des 25 jours suivants"],
    [25, "en", "judged on the purchases of the 25 days that followed"],
    [30, "fr", "jugés sur les achats des 30 jours suivants"],
  ] as const)("a %i-day backtest reads, in %s, “%s”", async (days, lang, expected) => {
    expect(await text(days, lang)).toContain(expected);
  });
});
